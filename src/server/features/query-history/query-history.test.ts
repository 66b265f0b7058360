import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../../../shared/errors';
import type { HistoryEntry } from '../../../shared/query-history';
import { connectedMember, queryAs, type Member } from '../../../../test/support/members';
import { startScoutWithSimulator, type SimulatedScout } from '../../../../test/support/scout';

let scout: SimulatedScout;
let owner: Member;
let colleague: Member;

beforeAll(async () => {
  scout = await startScoutWithSimulator({ seed: 3, domains: ['demo-clinic'], cases: 40, formsPerCase: 1 }, { worker: true });
  owner = await connectedMember(scout.baseUrl, 'demo-clinic', { name: 'Owner' });
  colleague = await connectedMember(scout.baseUrl, 'demo-clinic', { name: 'Colleague', sync: false });
});
afterAll(async () => {
  await scout?.stop();
});

async function history(m: Member, query = ''): Promise<HistoryEntry[]> {
  const response = await m.client.get(`/api/tenants/${m.membershipId}/queries${query}`);
  expect(response.status).toBe(200);
  return response.json();
}

describe('query history', () => {
  it('lists each distinct SQL the member ran, newest first, with runs and outcome; not a colleague’s', async () => {
    await queryAs(owner, 'SELECT count(*) FROM cases');
    await queryAs(owner, 'SELECT count(*) FROM forms');
    await queryAs(owner, 'SELECT count(*) FROM cases');
    await queryAs(owner, 'DELETE FROM cases');
    await queryAs(colleague, 'SELECT 42');
    const entries = await history(owner);
    expect(entries.map((e) => e.sql)).toEqual(['DELETE FROM cases', 'SELECT count(*) FROM cases', 'SELECT count(*) FROM forms']);
    expect(entries[1]).toMatchObject({ runs: 2, last_outcome: 'success', last_rows: 1, star_id: null });
    expect(entries[0]).toMatchObject({ runs: 1, last_outcome: 'QUERY_REJECTED' });
    expect((await history(colleague)).map((e) => e.sql)).toEqual(['SELECT 42']);
  });

  it('searches the SQL, reading % and _ as themselves', async () => {
    expect((await history(owner, '?search=FORMS')).map((e) => e.sql)).toEqual(['SELECT count(*) FROM forms']);
    expect(await history(owner, '?search=%25')).toEqual([]);
    const tooLong = await owner.client.get(`/api/tenants/${owner.membershipId}/queries?search=${'x'.repeat(500)}`);
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as ApiErrorBody).fields).toHaveProperty('search');
  });

  it('stars a query to keep it first, once however often it is starred, and unstars it', async () => {
    const star = async () => ((await (await owner.client.post(`/api/tenants/${owner.membershipId}/queries/stars`, { sql: 'SELECT count(*) FROM forms' })).json()) as { id: string }).id;
    const id = await star();
    expect(await star()).toBe(id);
    const starredOnly = await history(owner, '?starred=true');
    expect(starredOnly).toEqual([expect.objectContaining({ sql: 'SELECT count(*) FROM forms', star_id: id })]);
    expect((await history(owner))[0]!.sql).toBe('SELECT count(*) FROM forms');
    // A colleague can't unstar it, and an empty star is refused field by field.
    expect((await colleague.client.request('DELETE', `/api/tenants/${colleague.membershipId}/queries/stars/${id}`)).status).toBe(404);
    const empty = await owner.client.post(`/api/tenants/${owner.membershipId}/queries/stars`, { sql: '' });
    expect(empty.status).toBe(400);
    expect((await owner.client.request('DELETE', `/api/tenants/${owner.membershipId}/queries/stars/${id}`)).status).toBe(204);
    expect(await history(owner, '?starred=true')).toEqual([]);
  });
});
