import type { HqServer, HqServersResponse, TenantCredentialSummary, TenantSummary } from '../../../shared/tenants';
import { canFlags } from '../../platform/permissions';
import type { MembershipRow } from './repo';

/** The only places a membership becomes JSON: the credential's secret is not even selected. */
export function presentTenant(row: MembershipRow): TenantSummary {
  return {
    id: row.membership_id,
    provider: row.provider,
    tenant_id: row.domain,
    tenant_name: row.tenant_name,
    role: row.role,
    last_selected_at: row.last_selected_at?.toISOString() ?? null,
    can: canFlags(row),
  };
}

/** `demo`: the membership still reads its domain with "Try with demo data"'s key. */
export function presentCredential(row: MembershipRow, demo = false): TenantCredentialSummary {
  return {
    membership_id: row.membership_id,
    provider: row.provider,
    tenant_id: row.domain,
    tenant_name: row.tenant_name,
    hq_base_url: row.hq_base_url,
    credential_type: row.credential_type ?? 'api_key',
    verified_at: row.verified_at?.toISOString() ?? null,
    last_error: row.last_error,
    demo,
  };
}

export function presentServers(servers: HqServer[], defaultUrl: string, demoAvailable: boolean): HqServersResponse {
  return { servers, default: defaultUrl, demo_available: demoAvailable };
}
