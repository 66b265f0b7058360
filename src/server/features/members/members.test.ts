import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberSummary, MembersResponse } from '../../../shared/members';
import { connectedMember, type Member } from '../../../../test/support/members';
import { startScoutWithSimulator, type SimulatedScout } from '../../../../test/support/scout';

let scout: SimulatedScout;
let owner: Member;
let second: Member;
let third: Member;
let outsider: Member;

async function call<T>(m: Member, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await m.client.request(method, path, body);
  return { status: response.status, body: (response.status === 204 ? undefined : await response.json()) as T };
}

const members = (m: Member) => call<MembersResponse>(m, 'GET', `/api/tenants/${m.membershipId}/members`);
const setRole = (m: Member, target: Member, role: string) => call<MembersResponse & { error?: string; fields?: Record<string, string[]> }>(m, 'PATCH', `/api/tenants/${m.membershipId}/members/${target.membershipId}`, { role });
const remove = (m: Member, target: Member) => call<{ error?: string }>(m, 'DELETE', `/api/tenants/${m.membershipId}/members/${target.membershipId}`);
const roleOf = async (m: Member, target: Member) => (await members(m)).body.members.find((x) => x.id === target.membershipId)?.role;

beforeAll(async () => {
  scout = await startScoutWithSimulator({ seed: 13, domains: ['demo-clinic', 'other-project'], cases: 20, formsPerCase: 1 }, { worker: true });
  owner = await connectedMember(scout.baseUrl, 'demo-clinic', { sync: true, name: 'Olive Owner' });
  second = await connectedMember(scout.baseUrl, 'demo-clinic', { sync: false, name: 'Sam Second' });
  third = await connectedMember(scout.baseUrl, 'demo-clinic', { sync: false, name: 'Tia Third' });
  outsider = await connectedMember(scout.baseUrl, 'other-project', { sync: false, name: 'Otto Outsider' });
});
afterAll(async () => {
  await scout?.stop();
});

describe('members and roles', () => {
  it('lists the members with their roles and what the caller may do to each; changes only for managers', async () => {
    const asOwner = await members(owner);
    expect(asOwner.status).toBe(200);
    expect(asOwner.body.members.map((m) => [m.name, m.role, m.you])).toEqual([
      ['Olive Owner', 'owner', true],
      ['Sam Second', 'analyst', false],
      ['Tia Third', 'analyst', false],
    ]);
    expect(asOwner.body.members[0]).toMatchObject({ email: expect.stringContaining('@example.org'), joined_at: expect.any(String), can: { change_role: false, make_owner: false, remove: false } });
    expect(asOwner.body.members[1]!.can).toEqual({ change_role: true, make_owner: true, remove: true });
    expect(asOwner.body.changes).toEqual([]);
    const asAnalyst = await members(second);
    expect(asAnalyst.body.changes).toBeUndefined();
    expect(asAnalyst.body.members.find((m) => m.you)!.can).toEqual({ change_role: false, make_owner: false, remove: true });
    expect(asAnalyst.body.members.find((m) => m.name === 'Tia Third')!.can).toEqual({ change_role: false, make_owner: false, remove: false });
    expect((await call(outsider, 'GET', `/api/tenants/${owner.membershipId}/members`)).status).toBe(404);
  });

  it('lets the owner make a second member admin, who then installs a connector', async () => {
    const denied = await call<{ error: string }>(second, 'POST', `/api/tenants/${second.membershipId}/connectors`, { catalog_key: 'wordpress', name: 'Blog', config: { base_url: 'https://blog.example.org' } });
    expect(denied.status).toBe(403);
    const changed = await setRole(owner, second, 'admin');
    expect(changed.status).toBe(200);
    expect(changed.body.members.find((m) => m.id === second.membershipId)!.role).toBe('admin');
    const installed = await call(second, 'POST', `/api/tenants/${second.membershipId}/connectors`, { catalog_key: 'wordpress', name: 'Blog', config: { base_url: 'https://blog.example.org' } });
    expect(installed.status).toBe(201);
    // The domain list tells the web so too.
    const domains = (await call<Array<{ id: string; role: string; can: Record<string, boolean> }>>(second, 'GET', '/api/auth/tenants/')).body;
    expect(domains.find((d) => d.id === second.membershipId)).toMatchObject({ role: 'admin', can: { 'connectors.manage': true, 'members.manage': true } });
  });

  it("keeps admins from the owner's powers and analysts from everyone's roles", async () => {
    expect(await setRole(second, third, 'owner')).toMatchObject({ status: 403, body: { error: 'Only the owner of this domain can make someone else its owner.' } });
    expect(await setRole(second, owner, 'analyst')).toMatchObject({ status: 403, body: { error: "Admins can't change the owner's role." } });
    expect((await remove(second, owner)).status).toBe(403);
    expect((await setRole(third, second, 'analyst')).status).toBe(403);
    expect((await remove(third, second)).status).toBe(403);
    // An admin manages the other members.
    expect((await setRole(second, third, 'admin')).status).toBe(200);
    expect((await setRole(second, third, 'analyst')).status).toBe(200);
    expect(await roleOf(owner, third)).toBe('analyst');
  });

  it('never leaves a domain without its owner', async () => {
    expect(await setRole(owner, owner, 'admin')).toMatchObject({ status: 409, body: { error: expect.stringMatching(/^A domain always has an owner/) } });
    expect(await remove(owner, owner)).toMatchObject({ status: 409, body: { error: expect.stringMatching(/make another member owner before you leave/) } });
    // Disconnecting the domain on the Connections page is leaving it: the same rule.
    const disconnect = await call<{ error?: string }>(owner, 'DELETE', `/api/auth/tenant-credentials/${owner.membershipId}`);
    expect(disconnect).toMatchObject({ status: 409, body: { error: expect.stringMatching(/make another member owner before you leave/) } });
    expect(await roleOf(owner, owner)).toBe('owner');
  });

  it("lets a domain's only member, its owner, disconnect it", async () => {
    const alone = await connectedMember(scout.baseUrl, 'other-project', { sync: false, name: 'Solo' });
    const listed = await members(alone);
    // Otto connected other-project first; Solo, its analyst, leaves; then Otto, its owner and now only member, may go too.
    expect(listed.body.members.find((m) => m.you)?.can.remove).toBe(true);
    expect((await call(alone, 'DELETE', `/api/auth/tenant-credentials/${alone.membershipId}`)).status).toBe(204);
    expect((await members(outsider)).body.members.map((m) => [m.name, m.role, m.can.remove])).toEqual([['Otto Outsider', 'owner', true]]);
    expect((await call(outsider, 'DELETE', `/api/auth/tenant-credentials/${outsider.membershipId}`)).status).toBe(204);
    expect((await call<unknown[]>(outsider, 'GET', '/api/auth/tenants/')).body).toEqual([]);
  });

  it('hands ownership on: the new owner is the only owner, the old one becomes admin, and the change is recorded', async () => {
    const transferred = await setRole(owner, second, 'owner');
    expect(transferred.status).toBe(200);
    expect(transferred.body.members.map((m) => [m.name, m.role])).toEqual([
      ['Sam Second', 'owner'],
      ['Olive Owner', 'admin'],
      ['Tia Third', 'analyst'],
    ]);
    // Answered from where the caller stands now: an admin, who can't touch the new owner.
    expect(transferred.body.members.find((m) => m.name === 'Sam Second')!.can).toEqual({ change_role: false, make_owner: false, remove: false });
    const changes = (await members(second)).body.changes!;
    expect(changes[0]).toMatchObject({ actor: 'Olive Owner', member: 'Sam Second', action: 'ownership_transferred', from_role: 'admin', to_role: 'owner' });
    expect(changes.map((c) => c.action)).toEqual(['ownership_transferred', 'role_changed', 'role_changed', 'role_changed']);
    // And back, so the later tests start from the first owner.
    expect((await setRole(second, owner, 'owner')).status).toBe(200);
    expect(await roleOf(owner, second)).toBe('admin');
  });

  it("ends a removed member's access at once: REST, MCP and chat", async () => {
    const token = ((await (await third.client.post('/api/mcp/tokens', { name: 'laptop' })).json()) as { token: string }).token;
    const mcpCall = () =>
      fetch(`${scout.baseUrl}/mcp/${third.membershipId}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_tables', arguments: {} } }),
      });
    expect((await mcpCall()).status).toBe(200);
    expect((await call(third, 'GET', `/api/tenants/${third.membershipId}/warehouse`)).status).toBe(200);

    expect((await remove(second, third)).status).toBe(204);
    expect((await call(third, 'GET', `/api/tenants/${third.membershipId}/warehouse`)).status).toBe(404);
    expect((await call(third, 'POST', `/api/tenants/${third.membershipId}/tools/query`, { sql: 'SELECT 1' })).status).toBe(404);
    expect((await mcpCall()).status).toBe(404);
    const chat = await third.client.post(`/api/tenants/${third.membershipId}/chat`, { messages: [{ id: 'q', role: 'user', parts: [{ type: 'text', text: 'hi' }] }], data: { threadId: crypto.randomUUID() } });
    expect(chat.status).toBe(404);
    expect((await call<unknown[]>(third, 'GET', '/api/auth/tenants/')).body).toEqual([]);
    const changes = (await members(owner)).body.changes!;
    expect(changes[0]).toMatchObject({ actor: 'Sam Second', member: 'Tia Third', action: 'removed', from_role: 'analyst', to_role: null });
  });

  it('lets a member leave, and answers bad input with 4xx', async () => {
    const bad = await setRole(owner, second, 'king');
    expect(bad).toMatchObject({ status: 400, body: { fields: { role: ['Choose owner, admin or analyst'] } } });
    expect((await call(owner, 'PATCH', `/api/tenants/${owner.membershipId}/members/not-an-id`, { role: 'admin' })).status).toBe(404);
    expect((await call(owner, 'PATCH', `/api/tenants/${owner.membershipId}/members/${outsider.membershipId}`, { role: 'admin' })).status).toBe(404);
    expect((await call(owner, 'PATCH', `/api/tenants/${owner.membershipId}/members/${second.membershipId}`, { role: 'admin', extra: 1 })).status).toBe(400);

    expect((await remove(second, second)).status).toBe(204);
    const left = (await members(owner)).body;
    expect(left.members.map((m: MemberSummary) => m.name)).toEqual(['Olive Owner']);
    expect(left.changes![0]).toMatchObject({ actor: 'Sam Second', member: 'Sam Second', action: 'left' });
  });
});
