import { KNOWLEDGE_TOOLS } from '../knowledge/tools';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { ToolCallEntry, ToolEnvelope, ToolName } from '../../../shared/tools';
import type { Database } from '../../platform/db/schema';
import { notFound } from '../../platform/http/errors';
import { authorize, can } from '../../platform/permissions';
import type { Logger } from '../../platform/logger';
import type { MembershipRow } from '../tenants/repo';
import type { MemberAccess } from '../tenants/access';
import type { TenantService } from '../tenants/service';
import type { WarehouseService } from '../warehouse/service';
import { tenantContext, type TenantContext } from './context';
import { TOOLS, type QueryCapacity, type ToolDefinition } from './definitions';
import { QUESTION_TOOLS } from '../questions/tools';
import { QuestionService } from '../questions/service';
import { draftPublicationTool } from '../publishing/tools';
import type { PublicationService } from '../publishing/service';
import { AuditWriter } from './audit';
import { runTool } from './run-tool';
import { cancelQuery, queryLabel } from './query';
import { isUuid } from '../tenants/repo';

export interface ToolServiceDeps {
  db: Kysely<Database>;
  tenants: TenantService;
  /** What CommCare lets each member see: every call reads no more than that. */
  access: MemberAccess;
  warehouse: WarehouseService;
  warehousePool: pg.Pool;
  logger: Logger;
  capacity: QueryCapacity;
  publications?: PublicationService;
}

/** The data tools, for every channel: the chat agent in-process, MCP and REST. */
export class ToolService {
  readonly tools: readonly ToolDefinition[] = [...TOOLS, ...QUESTION_TOOLS, draftPublicationTool, ...KNOWLEDGE_TOOLS] as unknown as ToolDefinition[];

  /** The domain's saved questions, for channels that show them beside the tools (MCP resources). */
  readonly questions: QuestionService;

  private readonly audit: AuditWriter;

  constructor(private readonly deps: ToolServiceDeps) {
    this.audit = new AuditWriter(deps.db, deps.logger);
    this.questions = new QuestionService(deps.db);
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
    const reader = await this.reader(ctx);
    if ('error' in reader) return { success: false, error: { code: 'FORBIDDEN', message: reader.error } };
    return runTool(reader, tool, args, { ...this.deps, audit: this.audit });
  }

  /** The context a member reads the data through (their role allows it, and as CommCare shows it), or why not. */
  async reader(ctx: TenantContext): Promise<TenantContext | { error: string }> {
    if (!can(ctx.membership, 'data.query')) return { error: 'Your role in this domain does not allow using its data tools.' };
    return this.asHqShows(ctx);
  }

  /** Resolves once every audit record written so far is in the database. */
  flushAudit(): Promise<void> {
    return this.audit.flush();
  }

  /** Writes one audit record (exports and others that are not tool calls but read the data). */
  recordCall(entry: Parameters<AuditWriter['record']>[0]): void {
    this.audit.record(entry);
  }

  /**
   * The context as CommCare HQ says this member may see the domain (asking
   * HQ when its last answer is over an hour old): whole, through their
   * locations' scope, or not at all.
   */
  private async asHqShows(ctx: TenantContext): Promise<TenantContext | { error: string }> {
    const membership = await this.deps.access.fresh(ctx.membership);
    switch (membership.hq_access) {
      case 'full':
        return { ...ctx, membership };
      case 'restricted':
        return { ...ctx, membership, scope: { id: membership.membership_id, locationIds: membership.hq_location_ids } };
      case 'none':
        return { error: "CommCare doesn't let your account view this domain's data, so Scout shows you none of it. Ask a project admin in CommCare for access." };
      case 'unknown':
        return {
          error:
            "Scout couldn't confirm with CommCare which of this domain's data you may see, so it shows none for now. Try again in a minute; if this persists, your CommCare role needs permission to view locations.",
        };
    }
  }

  /**
   * Cancels this member's query started with `request_id` (in any process);
   * 404 when none of theirs runs under that id.
   */
  async cancel(membership: MembershipRow, requestId: string): Promise<void> {
    if (!isUuid(requestId) || !(await cancelQuery(this.deps.warehousePool, queryLabel(membership.membership_id, requestId)))) {
      throw notFound('A running query with this request id');
    }
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
