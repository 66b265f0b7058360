import { expect } from 'vitest';

/**
 * Sets (POST) or clears (DELETE) the faults of the simulator Scout mounts at
 * /simulator (simulator/README.md): latency changes when pages land, never
 * what a page must end up showing.
 */
export async function setSimulatorFaults(baseUrl: string, method: 'POST' | 'DELETE', faults?: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${baseUrl}/simulator/_sim/faults`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(faults ? { body: JSON.stringify(faults) } : {}),
  });
  expect(response.ok).toBe(true);
}
