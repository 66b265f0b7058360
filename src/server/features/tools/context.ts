import type { Role } from '../../../shared/tenants';
import type { MembershipRow } from '../tenants/repo';

/**
 * Who is calling and on which tenant — built by the server from the
 * authenticated caller (session or MCP token), never from tool arguments a
 * model could fill in.
 */
export interface TenantContext {
  membership: MembershipRow;
  userId: string;
  schemaName: string;
  role: Role;
  channel: 'chat' | 'mcp' | 'api' | 'schedule';
  maxRowsPerQuery: number;
  maxQueryTimeoutSeconds: number;
  /**
   * Set when CommCare shows this member only some locations' data: their
   * queries read through that row-security scope (warehouse/row-security.ts).
   */
  scope?: { id: string; locationIds: string[] };
}

export function tenantContext(membership: MembershipRow, channel: TenantContext['channel']): TenantContext {
  return {
    membership,
    userId: membership.user_id,
    schemaName: membership.schema_name,
    role: membership.role,
    channel,
    maxRowsPerQuery: 500,
    maxQueryTimeoutSeconds: 30,
  };
}
