import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectedMember, queryAs, type Member } from '../../../../test/support/members';
import { startScoutWithSimulator, type SimulatedScout } from '../../../../test/support/scout';

/**
 * What one tenant's queries may take from the others: a few at once per user
 * and per domain (counted in PostgreSQL, so every process agrees); the
 * memory one query may take is memory.test.ts's.
 */
let scout: SimulatedScout;
let alice: Member;
let bob: Member;
let neighbour: Member;

const SLOW = 'SELECT count(*) AS n FROM generate_series(1, 6000) a, generate_series(1, 6000) b';
const SMALL = 'SELECT count(*)::int AS n FROM cases';

beforeAll(async () => {
  scout = await startScoutWithSimulator({ seed: 11, domains: ['demo-clinic', 'other-project'], cases: 30, formsPerCase: 1 }, { app: { queryCapacity: { perUser: 2, perDomain: 3, waitMs: 400, requestsPerMinute: 1000 } }, worker: true });
  alice = await connectedMember(scout.baseUrl, 'demo-clinic');
  bob = await connectedMember(scout.baseUrl, 'demo-clinic', { sync: false });
  neighbour = await connectedMember(scout.baseUrl, 'other-project');
});
afterAll(async () => {
  await scout?.stop();
});

describe('query capacity', () => {
  it("runs two of one user's queries at once and refuses a third with 429, while others' queries answer", async () => {
    const slow = [queryAs(alice, SLOW), queryAs(alice, SLOW)];
    await new Promise((resolve) => setTimeout(resolve, 100));
    const third = await queryAs(alice, SMALL);
    expect(third.status).toBe(429);
    expect(third.envelope).toEqual({ success: false, error: { code: 'RATE_LIMITED', message: 'You already have 2 queries running; wait for one to finish, then try again.' } });
    // The same slots whatever the channel: her MCP client is refused too.
    const token = ((await (await alice.client.post('/api/mcp/tokens', { name: 'capacity' })).json()) as { token: string }).token;
    const mcp = await fetch(`${scout.baseUrl}/mcp/${alice.membershipId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'query', arguments: { sql: SMALL } } }),
    });
    const rpc = (await mcp.json()) as { result: { isError: boolean; content: Array<{ text: string }> } };
    expect(rpc.result.isError).toBe(true);
    expect(JSON.parse(rpc.result.content[0]!.text)).toMatchObject({ success: false, error: { code: 'RATE_LIMITED' } });
    const [colleague, elsewhere] = await Promise.all([queryAs(bob, SMALL), queryAs(neighbour, SMALL)]);
    expect([colleague.status, elsewhere.status]).toEqual([200, 200]);
    expect((await Promise.all(slow)).map((r) => r.status)).toEqual([200, 200]);
    // The slots came back with the queries.
    expect((await queryAs(alice, SMALL)).status).toBe(200);
  });

  it("caps a domain's queries across its members", async () => {
    const running = [queryAs(alice, SLOW), queryAs(alice, SLOW), queryAs(bob, SLOW)];
    await new Promise((resolve) => setTimeout(resolve, 100));
    const fourth = await queryAs(bob, SMALL);
    expect(fourth.status).toBe(429);
    expect(fourth.envelope.success ? '' : fourth.envelope.error.message).toMatch(/This domain already has 3 queries running/);
    expect((await queryAs(neighbour, SMALL)).status).toBe(200);
    await Promise.all(running);
  });
});
