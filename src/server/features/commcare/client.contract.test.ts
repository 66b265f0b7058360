import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../../../simulator';
import { CommCareClient, type CommCareClientOptions } from './client';
import { CommCareAuthError, CommCareNotFoundError, CommCarePermissionError, CommCareRateLimitError, CommCareRequestError, CommCareUnavailableError } from './errors';
import type { RetryEvent } from './http';
import type { Page } from './types';

// The client against the simulator, which speaks HQ's HTTP API: every
// endpoint, every paging mode, every error and every injected fault.
const CASES = 1234;
const FORMS_PER_CASE = 2;
const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 6, maxRateLimitRetries: 5, defaultRetryAfterMs: 1, maxRetryAfterMs: 5 };

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 11, domains: ['demo-clinic', 'second-site'], cases: CASES, formsPerCase: FORMS_PER_CASE, rateLimit: false });
});
afterAll(async () => {
  await sim?.close();
});
beforeEach(() => sim.simulator.resetFaults());

function client(overrides: Partial<CommCareClientOptions> = {}, events: RetryEvent[] = []): CommCareClient {
  return new CommCareClient({
    baseUrl: sim.url,
    credentials: { kind: 'api_key', username: 'demo@example.com', apiKey: 'demo-key' },
    retry: FAST_RETRY,
    onRetry: (event) => events.push(event),
    ...overrides,
  });
}

async function collect<T>(pages: AsyncIterable<Page<T>>): Promise<{ records: T[]; pages: Page<T>[] }> {
  const records: T[] = [];
  const seen: Page<T>[] = [];
  for await (const page of pages) {
    records.push(...page.records);
    seen.push(page);
  }
  return { records, pages: seen };
}

/** The error a promise rejects with; fails the test if it resolves. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error as Error,
  );
  if (!outcome) throw new Error('expected a rejection');
  return outcome;
}

function expectExactlyOnce(ids: string[], expected: number) {
  expect(ids).toHaveLength(expected);
  expect(new Set(ids).size).toBe(expected);
}

describe('identity and domains', () => {
  it('reads the identity and every domain of the user', async () => {
    const identity = await client().identity();
    expect(identity).toMatchObject({ username: 'demo@example.com', email: 'demo@example.com', first_name: 'Demo' });
    const domains = await client().userDomains();
    expect(domains.map((d) => d.domain_name).sort()).toEqual(['demo-clinic', 'second-site']);
  });

  it('verifies domain access cheaply, with the case count', async () => {
    expect(await client().verifyDomainAccess('demo-clinic')).toEqual({ caseCount: CASES });
  });

  it('raises typed errors: bad key, not a member, unknown domain', async () => {
    const wrongKey = client({ credentials: { kind: 'api_key', username: 'demo@example.com', apiKey: 'nope-secret-123' } });
    await expect(wrongKey.identity()).rejects.toBeInstanceOf(CommCareAuthError);
    await expect(wrongKey.userDomains()).rejects.toBeInstanceOf(CommCareAuthError);
    const outsider = client({ credentials: { kind: 'api_key', username: 'limited@example.com', apiKey: 'limited-key' } });
    await expect(outsider.verifyDomainAccess('second-site')).rejects.toBeInstanceOf(CommCarePermissionError);
    await expect(client().verifyDomainAccess('no-such-domain')).rejects.toBeInstanceOf(CommCareNotFoundError);
  });

  it('never puts the key in an error message', async () => {
    const wrongKey = client({ credentials: { kind: 'api_key', username: 'demo@example.com', apiKey: 'nope-secret-123' } });
    const error = await failure(wrongKey.identity());
    expect(`${error.message} ${error.stack}`).not.toContain('nope-secret-123');
  });
});

describe('streaming every record', () => {
  it('case API v2 (cursor): every case exactly once, in indexed_on order, with progress', async () => {
    const { records, pages } = await collect(client().cases('demo-clinic', { pageSize: 100 }));
    expectExactlyOnce(records.map((c) => c.case_id), CASES);
    expect(pages).toHaveLength(Math.ceil(CASES / 100));
    expect(pages.at(-1)).toMatchObject({ loaded: CASES, total: CASES });
    const stamps = records.map((c) => c.indexed_on);
    expect([...stamps].sort()).toEqual(stamps);
    expect(pages.at(-1)!.checkpoint).toBe(stamps.at(-1));
  });

  it('case API v0.5 (keyset on indexed_on): the same cases exactly once', async () => {
    const v2 = await collect(client().cases('demo-clinic'));
    const { records, pages } = await collect(client().casesV05('demo-clinic', { pageSize: 97 }));
    expectExactlyOnce(records.map((c) => c.case_id), CASES);
    expect(new Set(records.map((c) => c.case_id))).toEqual(new Set(v2.records.map((c) => c.case_id)));
    expect(pages.at(-1)!.total).toBe(CASES);
  });

  it('filters by case type on both APIs alike', async () => {
    const v2 = await collect(client().cases('demo-clinic', { caseType: 'household' }));
    const v05 = await collect(client().casesV05('demo-clinic', { caseType: 'household', pageSize: 50 }));
    expect(v2.records.length).toBeGreaterThan(0);
    expect(v2.records.every((c) => c.case_type === 'household')).toBe(true);
    expect(new Set(v05.records.map((c) => c.case_id))).toEqual(new Set(v2.records.map((c) => c.case_id)));
  });

  it('forms (v0.5 keyset): every form exactly once', async () => {
    const { records } = await collect(client().forms('demo-clinic', { pageSize: 250 }));
    expectExactlyOnce(records.map((f) => f.id), CASES * FORMS_PER_CASE);
  });

  it('applications: modules with case types, forms and questions', async () => {
    const apps = await client().applications('demo-clinic');
    expect(apps.length).toBeGreaterThan(0);
    const caseTypes = apps.flatMap((a) => a.modules.map((m) => m.case_type));
    expect(caseTypes).toEqual(expect.arrayContaining(['household', 'person']));
    expect(apps[0]!.modules[0]!.forms[0]!.xmlns).toMatch(/^http/);
  });

  it('resumes from a checkpoint: an incremental load sees exactly what changed since', async () => {
    const full = await collect(client().cases('second-site', { pageSize: 500 }));
    const checkpoint = full.pages.at(-1)!.checkpoint!;
    const change = sim.simulator.mutate('second-site', { modify: 7, create: 5, close: 3 });
    const changed = await collect(client().cases('second-site', { since: checkpoint, pageSize: 4 }));
    const changedIds = new Set(changed.records.map((c) => c.case_id));
    // The checkpoint itself is inclusive, so the last case of the full load may come again.
    changedIds.delete(full.records.at(-1)!.case_id);
    expect(changedIds.size).toBe(7 + 5 + 3);
    const v05 = await collect(client().casesV05('second-site', { since: checkpoint, pageSize: 4 }));
    const v05Ids = new Set(v05.records.map((c) => c.case_id));
    v05Ids.delete(full.records.at(-1)!.case_id);
    expect(v05Ids).toEqual(changedIds);
    expect(change).toBeDefined();
  });

  it('stops early without leaving a request behind, and honours an AbortSignal', async () => {
    for await (const page of client().cases('demo-clinic', { pageSize: 10 })) {
      expect(page.records).toHaveLength(10);
      break;
    }
    const controller = new AbortController();
    sim.simulator.setFaults({ latencyMs: 5_000 });
    const pending = collect(client().cases('demo-clinic', { signal: controller.signal }));
    setTimeout(() => controller.abort(new Error('user cancelled')), 50);
    await expect(pending).rejects.toThrow('user cancelled');
  });
});

describe('resilience to faults', () => {
  const kinds = [
    ['server errors (500, 502, 503)', [{ count: 1, status: 500 }, { count: 1, status: 502 }, { count: 1, status: 503 }], 'server_error'],
    ['malformed JSON', [{ count: 2, kind: 'malformed' }], 'malformed'],
    ['a truncated body', [{ count: 2, kind: 'truncated' }], 'malformed'],
    ['a connection reset mid-body', [{ count: 2, kind: 'reset' }], 'network'],
    ['a burst of 429s', [{ count: 3, kind: 'rate-limit' }], 'rate_limited'],
  ] as const;

  it.each(kinds)('finishes a full load with exactly the right records through %s', async (_name, failNext, reason) => {
    const events: RetryEvent[] = [];
    sim.simulator.setFaults({ failNext: failNext.map((f) => ({ ...f })), retryAfterSeconds: 0 });
    const { records } = await collect(client({}, events).cases('demo-clinic', { pageSize: 400 }));
    expectExactlyOnce(records.map((c) => c.case_id), CASES);
    expect(events.length).toBe(failNext.reduce((n, f) => n + f.count, 0));
    expect(events.every((e) => e.reason === reason)).toBe(true);
  });

  it('survives random faults on every API with no duplicates and no gaps', async () => {
    sim.simulator.setFaults({ seed: 5, errorRate: 0.15, malformedJsonRate: 0.05, truncatedBodyRate: 0.05, connectionResetRate: 0.05, retryAfterSeconds: 0 });
    const resilient = client({ retry: { ...FAST_RETRY, maxAttempts: 12 } });
    expectExactlyOnce((await collect(resilient.cases('demo-clinic', { pageSize: 100 }))).records.map((c) => c.case_id), CASES);
    expectExactlyOnce((await collect(resilient.casesV05('demo-clinic', { pageSize: 100 }))).records.map((c) => c.case_id), CASES);
    expectExactlyOnce((await collect(resilient.forms('demo-clinic', { pageSize: 200 }))).records.map((f) => f.id), CASES * FORMS_PER_CASE);
  });

  it('gives up with CommCareUnavailableError when HQ stays down', async () => {
    sim.simulator.setFaults({ errorRate: 1, errorStatuses: [503] });
    const events: RetryEvent[] = [];
    await expect(collect(client({}, events).cases('demo-clinic'))).rejects.toBeInstanceOf(CommCareUnavailableError);
    expect(events).toHaveLength(FAST_RETRY.maxAttempts - 1);
  });

  it('gives up with a clear error when every page is malformed', async () => {
    sim.simulator.setFaults({ malformedJsonRate: 1 });
    await expect(collect(client().cases('demo-clinic'))).rejects.toThrow(/malformed data/);
  });

  it('gives up with CommCareRateLimitError when HQ keeps rate limiting', async () => {
    sim.simulator.setFaults({ rateLimitBurst: 1000, retryAfterSeconds: 0 });
    await expect(collect(client().cases('demo-clinic'))).rejects.toBeInstanceOf(CommCareRateLimitError);
  });

  it("waits HQ's Retry-After, capped by the policy", async () => {
    sim.simulator.setFaults({ failNext: [{ count: 1, kind: 'rate-limit' }], retryAfterSeconds: 30 });
    const events: RetryEvent[] = [];
    await collect(client({ retry: { ...FAST_RETRY, maxRetryAfterMs: 20 } }, events).cases('demo-clinic', { pageSize: 5000 }));
    expect(events).toEqual([expect.objectContaining({ reason: 'rate_limited', delayMs: 20, status: 429 })]);
  });

  it('reports a 400 as CommCareRequestError with HQ\'s message, without retrying', async () => {
    sim.simulator.setFaults({ failNext: [{ count: 1, status: 400 }] });
    const events: RetryEvent[] = [];
    const error = await failure(collect(client({}, events).cases('demo-clinic')));
    expect(error).toBeInstanceOf(CommCareRequestError);
    expect(error.message).toMatch(/refused \/a\/demo-clinic\/api\/case\/v2\/ \(400\)/);
    expect(events).toEqual([]);
  });
});

describe('OAuth credentials', () => {
  async function tokenFor(username: string, password: string): Promise<{ access_token: string; refresh_token: string }> {
    // The authorization-code dance, as a browser would do it, against the simulator's OAuth server.
    const verifier = 'v'.repeat(50);
    const authorize = new URL(`${sim.url}/oauth/authorize/`);
    authorize.search = new URLSearchParams({ response_type: 'code', client_id: 'scout', redirect_uri: 'http://localhost/cb', scope: 'access_apis', state: 's', code_challenge: verifier, code_challenge_method: 'plain' }).toString();
    const login = await fetch(authorize, { method: 'POST', body: new URLSearchParams({ step: 'login', username, password }), redirect: 'manual' });
    const ticket = (await login.text()).match(/name="ticket" value="([^"]+)"/)?.[1];
    const consent = await fetch(authorize, { method: 'POST', body: new URLSearchParams({ step: 'consent', ticket: ticket!, decision: 'allow' }), redirect: 'manual' });
    const code = new URL(consent.headers.get('location')!).searchParams.get('code')!;
    const token = await fetch(`${sim.url}/oauth/token/`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: 'http://localhost/cb', client_id: 'scout', client_secret: 'scout-secret', code_verifier: verifier }),
    });
    return token.json();
  }

  it('uses a bearer token, and on a 401 refreshes it once and carries on', async () => {
    const first = await tokenFor('demo@example.com', 'demo-password');
    let refreshes = 0;
    const oauth = client({
      credentials: {
        kind: 'oauth',
        accessToken: first.access_token,
        refresh: async () => {
          refreshes++;
          const response = await fetch(`${sim.url}/oauth/token/`, {
            method: 'POST',
            body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: 'scout', client_secret: 'scout-secret' }),
          });
          return ((await response.json()) as { access_token: string }).access_token;
        },
      },
    });
    expect((await oauth.identity()).username).toBe('demo@example.com');
    expect(sim.simulator.expireAccessTokens(first.access_token)).toBe(1);
    const { records } = await collect(oauth.cases('demo-clinic', { pageSize: 5000 }));
    expect(records).toHaveLength(CASES);
    expect(refreshes).toBe(1);
  });

  it('raises CommCareAuthError when the refreshed token is rejected too', async () => {
    const oauth = client({ credentials: { kind: 'oauth', accessToken: 'expired-token-abc', refresh: async () => 'still-bad-token-def' } });
    const error = await failure(oauth.identity());
    expect(error).toBeInstanceOf(CommCareAuthError);
    expect(error.message).not.toMatch(/expired-token-abc|still-bad-token-def/);
  });
});
