import { expect } from 'vitest';
import type { MaterializationRun, StartRunResponse } from '../../src/shared/warehouse';
import type { HttpClient } from './scout';

export const ACTIVE_RUN_STATES = ['started', 'loading', 'transforming'];

/** Reads until `done` says so; the cap is generous: tests assert what happens, not how fast. */
export async function poll<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, capMs = 15_000): Promise<T> {
  const started = performance.now();
  let value = await read();
  while (!done(value)) {
    if (performance.now() - started > capMs) throw new Error(`${what}: still ${JSON.stringify(value)} after ${capMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

export async function getRun(client: HttpClient, membershipId: string, runId: string): Promise<MaterializationRun> {
  const response = await client.get(`/api/tenants/${membershipId}/materializations/${runId}`);
  expect(response.status).toBe(200);
  return (await response.json()) as MaterializationRun;
}

export async function startRun(client: HttpClient, membershipId: string, mode?: 'full'): Promise<StartRunResponse> {
  const response = await client.post(`/api/tenants/${membershipId}/materializations`, mode ? { mode } : '');
  expect(response.status).toBe(202);
  return (await response.json()) as StartRunResponse;
}
