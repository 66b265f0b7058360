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

/** Starts a sync and waits until it completes; a failed sync throws with its error. */
export async function syncDomain(client: HttpClient, membershipId: string, capMs = 60_000): Promise<MaterializationRun> {
  const started = await startRun(client, membershipId);
  const run = await poll('the sync', () => getRun(client, membershipId, started.run.id), (r) => !ACTIVE_RUN_STATES.includes(r.state), capMs);
  if (run.state !== 'completed') throw new Error(run.error ?? `sync ${run.state}`);
  return run;
}

/** Connects a simulator domain with the simulator's demo user's API key; answers the membership id. */
export async function connectDomain(client: HttpClient, domain: string): Promise<string> {
  const response = await client.post('/api/auth/tenant-credentials/', { provider: 'commcare', tenant_id: domain, credential: 'demo@example.com:demo-key' });
  expect(response.status).toBe(201);
  return ((await response.json()) as { membership_id: string }).membership_id;
}
