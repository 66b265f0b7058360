import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator } from './index';
import { DEMO_AUTH, DOMAIN, startTestSimulator, type TestSimulator } from './test-support';

/** Fault injection knobs and rate limiting, each asserted exactly (no timings). */

const V2 = `/a/${DOMAIN}/api/case/v2/?limit=5`;
const V05 = `/a/${DOMAIN}/api/v0.5/case/?limit=5`;

async function setFaults(sim: TestSimulator, body: unknown): Promise<Response> {
  return sim.post('/_sim/faults', body);
}

describe('fault injection', () => {
  let sim: TestSimulator;

  beforeAll(async () => {
    sim = await startTestSimulator({ cases: 50 });
  });
  afterEach(async () => {
    await fetch(`${sim.url}/_sim/faults`, { method: 'DELETE' });
  });
  afterAll(() => sim.close());

  it('fails exactly the next N data requests with failNext', async () => {
    expect((await setFaults(sim, { failNext: { count: 2, status: 503 } })).status).toBe(200);
    const first = await sim.get(V2);
    expect(first.status).toBe(503);
    expect(first.headers.get('content-type')).toContain('text/html');
    await first.arrayBuffer();
    expect((await sim.get(V05)).status).toBe(503);
    expect((await sim.get(V2)).status).toBe(200);
  });

  it('runs a queue of different failures in order', async () => {
    await setFaults(sim, { failNext: [{ count: 1, status: 500 }, { count: 1, status: 502 }, { count: 1, kind: 'rate-limit' }] });
    expect((await sim.get(V2)).status).toBe(500);
    expect((await sim.get(V2)).status).toBe(502);
    expect((await sim.get(V2)).status).toBe(429);
    expect((await sim.get(V2)).status).toBe(200);
  });

  it('leaves identity, user_domains, OAuth, /_sim and rejected requests alone', async () => {
    await setFaults(sim, { failNext: { count: 1, status: 500 } });
    expect((await sim.get('/api/v0.5/identity/')).status).toBe(200);
    expect((await sim.get('/api/v0.5/user_domains/')).status).toBe(200);
    expect((await sim.get('/_sim')).status).toBe(200);
    expect((await sim.get(`${sim.url}/oauth/authorize/?response_type=code&client_id=x&redirect_uri=${encodeURIComponent('http://localhost/cb')}`)).status).toBe(200);
    expect((await sim.get(V2, { Authorization: 'ApiKey demo@example.com:wrong' })).status).toBe(401);
    expect((await sim.get(V2)).status).toBe(500);
  });

  it('serves a 200 whose body is not JSON (malformedJsonRate / kind malformed)', async () => {
    await setFaults(sim, { failNext: { count: 1, kind: 'malformed' } });
    const response = await sim.get(V2);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const text = await response.text();
    expect(() => JSON.parse(text) as unknown).toThrow();
  });

  it('serves a complete response whose JSON stops halfway (kind truncated)', async () => {
    const whole = await (await sim.get(V05)).text();
    await setFaults(sim, { failNext: { count: 1, kind: 'truncated' } });
    const response = await sim.get(V05);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text.length).toBeGreaterThan(0);
    expect(whole.startsWith(text)).toBe(true);
    expect(() => JSON.parse(text) as unknown).toThrow();
  });

  it('resets the connection mid-body (kind reset)', async () => {
    await setFaults(sim, { failNext: { count: 1, kind: 'reset' } });
    const response = await sim.get(V2);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    expect((await sim.get(V2)).status).toBe(200);
  });

  it('answers a forced 429 burst with an empty body and Retry-After on both APIs', async () => {
    await setFaults(sim, { rateLimitBurst: 3, retryAfterSeconds: 2 });
    for (const path of [V2, V05, V2]) {
      const response = await sim.get(path);
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('2');
      expect(await response.text()).toBe('');
    }
    expect((await sim.get(V2)).status).toBe(200);
    await setFaults(sim, { rateLimitBurst: 1, retryAfterSeconds: 0 });
    expect((await sim.get(V2)).headers.get('retry-after')).toBe('0');
  });

  it('draws random faults from a seeded PRNG: the same settings give the same sequence', async () => {
    const run = async () => {
      await setFaults(sim, { seed: 42, errorRate: 0.3, malformedJsonRate: 0.1, truncatedBodyRate: 0.1, errorStatuses: [500, 502, 503] });
      const outcomes: string[] = [];
      for (let i = 0; i < 40; i++) {
        const response = await sim.get(V2);
        const text = await response.text();
        let kind = 'ok';
        if (response.status !== 200) kind = String(response.status);
        else {
          try {
            JSON.parse(text);
          } catch {
            kind = text.startsWith('<') ? 'malformed' : 'truncated';
          }
        }
        outcomes.push(kind);
      }
      return outcomes;
    };
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
    expect(new Set(first)).toContain('ok');
    expect(first.some((o) => ['500', '502', '503'].includes(o))).toBe(true);
    expect(first.every((o) => ['ok', '500', '502', '503', 'malformed', 'truncated'].includes(o))).toBe(true);
  });

  it('adds latency without changing the answer', async () => {
    await setFaults(sim, { latencyMs: 5 });
    expect((await sim.get(V2)).status).toBe(200);
    expect(((await (await sim.get('/_sim/faults')).json()) as { latencyMs: number }).latencyMs).toBe(5);
  });

  it('reports, validates and resets the settings', async () => {
    const set = await setFaults(sim, { errorRate: 0.25, failNext: { count: 2 } });
    expect(await set.json()).toMatchObject({ errorRate: 0.25, failNext: [{ count: 2 }], rateLimitBurst: 0 });
    expect((await setFaults(sim, { errorRate: 2 })).status).toBe(400);
    expect((await setFaults(sim, { errorRat: 0.1 })).status).toBe(400);
    const reset = await fetch(`${sim.url}/_sim/faults`, { method: 'DELETE' });
    expect(await reset.json()).toMatchObject({ errorRate: 0, failNext: [], latencyMs: 0 });
    expect((await sim.get(V2)).status).toBe(200);
  });

  it('offers the same knobs on the Simulator object and through in-process fetch', async () => {
    const simulator = createSimulator({ cases: 20, faults: { failNext: [{ count: 1, status: 502 }] } });
    const request = () => new Request(`http://simulator.test/a/${DOMAIN}/api/case/v2/`, { headers: DEMO_AUTH });
    expect((await simulator.app.fetch(request())).status).toBe(502);
    expect((await simulator.app.fetch(request())).status).toBe(200);
    simulator.setFaults({ failNext: [{ count: 1, kind: 'reset' }] });
    const reset = await simulator.app.fetch(request());
    await expect(reset.text()).rejects.toThrow();
    simulator.setFaults({ rateLimitBurst: 5 });
    simulator.resetFaults();
    expect((await simulator.app.fetch(request())).status).toBe(200);
  });
});

describe('rate limiting', () => {
  let sim: TestSimulator;

  beforeAll(async () => {
    // A refill so slow that the test never sees it: exactly `burst` requests pass.
    sim = await startTestSimulator({ cases: 20, domains: [DOMAIN, 'other-project'], rateLimit: { requestsPerSecond: 0.001, burst: 3 } });
  });
  afterAll(() => sim.close());

  it('throttles each domain separately with 429, an empty body and Retry-After', async () => {
    for (let i = 0; i < 3; i++) expect((await sim.get(V2)).status).toBe(200);
    for (const path of [V2, V05, `/a/${DOMAIN}/api/v0.5/form/`]) {
      const response = await sim.get(path);
      expect(response.status).toBe(429);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await response.text()).toBe('');
    }
    expect((await sim.get(V2.replace(DOMAIN, 'other-project'))).status).toBe(200);
  });

  it('never throttles identity or user_domains', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await sim.get('/api/v0.5/identity/')).status).toBe(200);
      expect((await sim.get('/api/v0.5/user_domains/')).status).toBe(200);
    }
  });
});
