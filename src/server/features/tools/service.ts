import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { ToolCallEntry, ToolEnvelope, ToolName } from '../../../shared/tools';
import type { Database } from '../../platform/db/schema';
import { notFound } from '../../platform/http/errors';
import { authorize, can } from '../../platform/permissions';
import type { Logger } from '../../platform/logger';
import type { MembershipRow } from '../tenants/repo';
import type { TenantService } from '../tenants/service';
import type { WarehouseService } from '../warehouse/service';
import { tenantContext, type TenantContext } from './context';
import { TOOLS, type QueryCapacity, type ToolDefinition } from './definitions';
import { AuditWriter } from './audit';
import { runTool } from './run-tool';

export interface ToolServiceDeps {
  db: Kysely<Database>;
  tenants: TenantService;
  warehouse: WarehouseService;
  warehousePool: pg.Pool;
  logger: Logger;
  capacity: QueryCapacity;
}

/** The data tools, for every channel: the chat agent in-process, MCP and REST. */
export class ToolService {
  readonly tools: readonly ToolDefinition[] = TOOLS as unknown as ToolDefinition[];

  private readonly audit: AuditWriter;

  constructor(private readonly deps: ToolServiceDeps) {
    this.audit = new AuditWriter(deps.db, deps.logger);
  }

  /** The context for a user's membership; another user's id is 404 (from the tenants service). */
  async context(userId: string, membershipId: string, channel: TenantContext['channel']): Promise<TenantContext> {
    return tenantContext(await this.deps.tenants.get(userId, membershipId), channel);
  }

  /** The user's most recently selected domain (MCP at /mcp without a tenant in the URL). */
  async defaultContext(userId: string, channel: TenantContext['channel']): Promise<TenantContext | undefined> {
    const [latest] = await this.deps.tenants.list(userId);
    return latest ? tenantContext(latest, channel) : undefined;
  }

  find(name: string): ToolDefinition | undefined {
    return this.tools.find((tool) => tool.name === name);
  }

  async call(ctx: TenantContext, name: ToolName | string, args: unknown): Promise<ToolEnvelope> {
    const tool = this.find(name);
    if (!tool) return { success: false, error: { code: 'NOT_FOUND', message: `There is no tool named '${name}'. Tools: ${this.tools.map((t) => t.name).join(', ')}.` } };
    if (!can(ctx.membership, 'data.query')) return { success: false, error: { code: 'FORBIDDEN', message: 'Your role in this domain does not allow using its data tools.' } };
    return runTool(ctx, tool, args, { ...this.deps, audit: this.audit });
  }

  /** The tenant's audit log, newest first: owners and admins only. */
  async auditLog(membership: MembershipRow, limit = 100): Promise<ToolCallEntry[]> {
    authorize(membership, 'audit.read');
    await this.audit.flush();
    const rows = await this.deps.db
      .selectFrom('tool_call as c')
      .leftJoin('user as u', 'u.id', 'c.user_id')
      .select(['c.id', 'c.called_at', 'u.name as user', 'c.channel', 'c.tool', 'c.arguments', 'c.status', 'c.error_code', 'c.rows', 'c.timing_ms'])
      .where('c.tenant_id', '=', membership.tenant_id)
      .orderBy('c.called_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(Math.min(Math.max(limit, 1), 500))
      .execute();
    if (!rows) throw notFound();
    return rows.map((r) => ({ ...r, id: String(r.id), called_at: r.called_at.toISOString() }));
  }
}
