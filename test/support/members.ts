import type { ToolEnvelope } from '../../src/shared/tools';
import type { MaterializationRun } from '../../src/shared/warehouse';
import { HttpClient } from './scout';

export interface Member {
  client: HttpClient;
  membershipId: string;
}

/**
 * A new user signed up on `baseUrl` with `domain` connected through the
 * simulator's demo account (or `credential`) and, unless `sync` is false, its data synced
 * (the Scout under test needs its worker running for that).
 */
export async function connectedMember(
  baseUrl: string,
  domain: string,
  { sync = true, name = 'Test User', credential = 'demo@example.com:demo-key' } = {},
): Promise<Member> {
  const client = new HttpClient(baseUrl);
  await client.post('/api/auth/sign-up/email', { name, email: `member-${Math.random().toString(36).slice(2)}@example.org`, password: 'member-user-pass-1' });
  const connected = await client.post('/api/auth/tenant-credentials/', { provider: 'commcare', tenant_id: domain, credential });
  if (connected.status !== 201) throw new Error(`connecting ${domain} answered ${connected.status}: ${await connected.text()}`);
  const membershipId = ((await connected.json()) as { membership_id: string }).membership_id;
  if (sync) {
    const started = (await (await client.post(`/api/tenants/${membershipId}/materializations`, '')).json()) as { run: MaterializationRun };
    for (let i = 0; ; i++) {
      const run = (await (await client.get(`/api/tenants/${membershipId}/materializations/${started.run.id}`)).json()) as MaterializationRun;
      if (run.state === 'completed') break;
      if (run.state === 'failed' || i >= 600) throw new Error(run.error ?? 'sync did not finish');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return { client, membershipId };
}

/** The member's SQL through the REST query tool: the status and the envelope. */
export async function queryAs(m: Member, sql: string): Promise<{ status: number; envelope: ToolEnvelope<{ rows: unknown[][] }> }> {
  const response = await m.client.post(`/api/tenants/${m.membershipId}/tools/query`, { sql });
  return { status: response.status, envelope: (await response.json()) as ToolEnvelope<{ rows: unknown[][] }> };
}
