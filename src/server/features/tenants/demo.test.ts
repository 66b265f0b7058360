import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HqServersResponse, TenantCredentialSummary } from '../../../shared/tenants';
import { HttpClient, startTestScout, type TestScout } from '../../../../test/support/scout';
import { DEMO_HQ_BASE_URL } from '../../main';

// Without COMMCARE_BASE_URL, Scout mounts its simulator and offers "Try with demo data".
let scout: TestScout;
beforeAll(async () => {
  scout = await startTestScout();
});
afterAll(async () => {
  await scout?.stop();
});

let counter = 0;
async function signedIn(): Promise<HttpClient> {
  const client = new HttpClient(scout.baseUrl);
  const response = await client.post('/api/auth/sign-up/email', { name: 'Demo Tester', email: `demo-${++counter}-${Date.now()}@example.org`, password: 'demo-pass-123' });
  expect(response.status).toBe(201);
  return client;
}

async function json<T>(response: Response): Promise<{ status: number; body: T }> {
  return { status: response.status, body: (await response.json()) as T };
}

const byKey = (credential: string) => ({ provider: 'commcare', tenant_id: 'demo-clinic', hq_base_url: DEMO_HQ_BASE_URL, credential });

describe('demo data', () => {
  it('names the demo server "Scout demo data" rather than by its host', async () => {
    const client = await signedIn();
    const { body } = await json<HqServersResponse>(await client.get('/api/auth/hq-servers'));
    expect(body.servers.find((s) => s.url === DEMO_HQ_BASE_URL)).toEqual({ url: DEMO_HQ_BASE_URL, label: 'Scout demo data', description: 'Simulated CommCare, built into Scout', demo: true });
    expect(body.servers.filter((s) => s.demo)).toHaveLength(1);
  });

  it('says a domain is connected as demo data, and switches it to the key entered, keeping the membership', async () => {
    const client = await signedIn();
    const demo = await json<TenantCredentialSummary>(await client.post('/api/auth/tenant-credentials/demo/'));
    expect(demo.status).toBe(201);
    expect(demo.body.demo).toBe(true);

    const conflict = await json<{ code: string; error: string; fields: Record<string, string[]> }>(await client.post('/api/auth/tenant-credentials/', byKey('limited@example.com:limited-key')));
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('CONNECTED_AS_DEMO');
    expect(conflict.body.fields.tenant_id?.[0]).toMatch(/^demo-clinic is connected as demo data/);
    expect(conflict.body.error).not.toContain('already connected');

    // The demo account's own key changes nothing: no switch is offered.
    const same = await json<{ code: string; fields: Record<string, string[]> }>(await client.post('/api/auth/tenant-credentials/', byKey('demo@example.com:demo-key')));
    expect(same).toMatchObject({ status: 409, body: { code: 'CONFLICT' } });
    expect(same.body.fields.tenant_id?.[0]).toContain('with this same demo key');

    // The switch: the same connection gets the key, checked with CommCare first.
    const wrong = await client.request('PATCH', `/api/auth/tenant-credentials/${demo.body.membership_id}/`, { credential: 'limited@example.com:not-the-key' });
    expect(wrong.status).toBe(400);
    const switched = await json<TenantCredentialSummary>(await client.request('PATCH', `/api/auth/tenant-credentials/${demo.body.membership_id}/`, { credential: 'limited@example.com:limited-key' }));
    expect(switched.status).toBe(200);
    expect(switched.body).toMatchObject({ membership_id: demo.body.membership_id, tenant_id: 'demo-clinic', demo: false });
    const [listed] = (await json<TenantCredentialSummary[]>(await client.get('/api/auth/tenant-credentials/'))).body;
    expect(listed).toMatchObject({ membership_id: demo.body.membership_id, demo: false });

    // Now it is a connection by key like any other.
    const again = await json<{ code: string }>(await client.post('/api/auth/tenant-credentials/', byKey('limited@example.com:limited-key')));
    expect(again).toMatchObject({ status: 409, body: { code: 'CONFLICT' } });
  });
});
