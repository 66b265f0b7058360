import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { RunMode, SourceProgress, WarehouseSummary } from '../../../shared/warehouse';
import { ERROR_CODES } from '../../../shared/errors';
import type { Database } from '../../platform/db/schema';
import { AppError, notFound } from '../../platform/http/errors';
import type { Logger } from '../../platform/logger';
import { authorize } from '../../platform/permissions';
import type { RetryPolicy } from '../commcare';
import { isUuid, type MembershipRow } from '../tenants/repo';
import type { MemberAccess } from '../tenants/access';
import type { TenantService } from '../tenants/service';
import { WarehouseCatalog } from './catalog';
import { RunRepo, type RunRow } from './runs';
import type { SchemaManager } from './schema-manager';
import { ensureScope } from './row-security';
import { RunFailure, SyncJobs } from './sync-jobs';
import { TenantSchemaRepo, type TenantSchemaRow } from './tenant-schemas';

export interface WarehouseServiceDeps {
  db: Kysely<Database>;
  /** The managed database, where tenant schemas live. */
  warehouse: pg.Pool;
  schemas: SchemaManager;
  tenants: TenantService;
  access: MemberAccess;
  logger: Logger;
  schemaTtlSeconds: number;
  /** Overrides CommCare retry timing (tests that inject outages). */
  commcareRetry?: Partial<RetryPolicy>;
}

/**
 * A member's view of their domain's warehouse: its state and tables, the
 * syncs that fill it (started here, executed by `jobs`), and its teardown.
 * One run at a time per tenant.
 */
export class WarehouseService {
  /** The warehouses' tables and columns, for the tools and the Data page. */
  readonly catalog: WarehouseCatalog;
  /** The queue and worker that execute syncs. */
  readonly jobs: SyncJobs;
  private readonly runs: RunRepo;
  private readonly tenantSchemas: TenantSchemaRepo;

  constructor(private readonly deps: WarehouseServiceDeps) {
    this.runs = new RunRepo(deps.db);
    this.tenantSchemas = new TenantSchemaRepo(deps.db);
    this.catalog = new WarehouseCatalog(deps.warehouse, deps.schemas);
    this.jobs = new SyncJobs({ ...deps, runs: this.runs, tenantSchemas: this.tenantSchemas });
  }

  async summary(membership: MembershipRow): Promise<Omit<WarehouseSummary, 'running'> & { running: RunRow | null }> {
    authorize(membership, 'warehouse.view');
    const tenantSchema = await this.tenantSchemas.forTenant(membership.tenant_id);
    if (!tenantSchema) return { schema_state: 'none', last_sync_at: null, running: null, tables: [] };
    const running = (await this.runs.active(tenantSchema.id)) ?? null;
    const tables = tenantSchema.state === 'expired' ? [] : await this.tablesAsHqShows(membership, tenantSchema);
    return { schema_state: tenantSchema.state, last_sync_at: tenantSchema.last_sync_at?.toISOString() ?? null, running, tables };
  }

  /** The tables with the row counts this member may see: their scope's, none when HQ shows them nothing. */
  private async tablesAsHqShows(membership: MembershipRow, tenantSchema: TenantSchemaRow) {
    const member = await this.deps.access.fresh(membership);
    if (member.hq_access === 'full') return this.catalog.describeTables(tenantSchema.schema_name, tenantSchema.last_sync_at);
    if (member.hq_access !== 'restricted' || !tenantSchema.last_sync_at) return [];
    await ensureScope(this.deps.warehouse, tenantSchema.schema_name, member.membership_id, member.hq_location_ids);
    return this.catalog.describeTablesAs(tenantSchema.schema_name, tenantSchema.last_sync_at, member.membership_id);
  }

  async start(membership: MembershipRow, mode: RunMode | undefined): Promise<{ created: boolean; run: RunRow }> {
    authorize(membership, 'warehouse.sync');
    if (!this.jobs.hasQueue) throw new Error('no job queue: start Scout with its worker');
    // A run whose worker is gone must not block this one.
    await this.jobs.recoverNow();
    const tenantSchema = await this.tenantSchemas.ensure(membership);
    const jobId = randomUUID();
    const result = await this.runs.create(tenantSchema.id, effectiveMode(mode, tenantSchema), membership.membership_id, jobId);
    if (result.created) await this.jobs.enqueue(result.run.id, jobId);
    return result;
  }

  /**
   * `scout sync`: runs a sync in this process (no queue) for a domain,
   * with the credentials of one of its members (an owner first).
   */
  async syncNow(domain: string, options: { mode: RunMode; hqBaseUrl?: string; onProgress?: (sources: Record<string, SourceProgress>) => void }): Promise<RunRow> {
    const membership = await this.deps.tenants.memberForSync(domain, options.hqBaseUrl);
    if (!membership) throw new RunFailure(`No member of Scout has connected the domain "${domain}"${options.hqBaseUrl ? ` on ${options.hqBaseUrl}` : ''}.`);
    await this.jobs.recoverNow();
    const tenantSchema = await this.tenantSchemas.ensure(membership);
    const { created, run } = await this.runs.create(tenantSchema.id, effectiveMode(options.mode, tenantSchema), membership.membership_id, null);
    if (!created) throw new RunFailure(`A sync of "${domain}" is already running (run ${run.id}).`);
    return this.jobs.execute(run.id, options.onProgress);
  }

  /** `scout schemas`: every tenant warehouse and its state. */
  listSchemas() {
    return this.tenantSchemas.list();
  }

  /** The tenant's warehouse record, for the data tools (which authorize through their context). */
  tenantSchema(tenantId: string): Promise<TenantSchemaRow | undefined> {
    return this.tenantSchemas.forTenant(tenantId);
  }

  /** Marks the warehouse as used, which keeps it from expiring. */
  touch(tenantId: string): Promise<void> {
    return this.tenantSchemas.touch(tenantId);
  }

  latestRun(tenantSchemaId: string): Promise<RunRow | undefined> {
    return this.runs.history(tenantSchemaId, 1).then((runs) => runs[0]);
  }

  runById(id: string): Promise<RunRow | undefined> {
    return this.runs.get(id);
  }

  async history(membership: MembershipRow): Promise<RunRow[]> {
    authorize(membership, 'warehouse.view');
    const tenantSchema = await this.tenantSchemas.forTenant(membership.tenant_id);
    return tenantSchema ? this.runs.history(tenantSchema.id) : [];
  }

  async run(membership: MembershipRow, runId: string): Promise<RunRow> {
    authorize(membership, 'warehouse.view');
    const run = isUuid(runId) ? await this.runs.get(runId) : undefined;
    const tenantSchema = run ? await this.tenantSchemas.byId(run.tenant_schema_id) : undefined;
    if (!run || tenantSchema?.tenant_id !== membership.tenant_id) throw notFound('This sync');
    return run;
  }

  async cancel(membership: MembershipRow, runId: string): Promise<void> {
    const run = await this.run(membership, runId);
    authorize(membership, 'warehouse.cancel');
    if (!(await this.runs.requestCancel(run.id))) throw new AppError(409, ERROR_CODES.conflict, 'This sync has already finished');
  }

  async teardown(membership: MembershipRow): Promise<void> {
    authorize(membership, 'warehouse.teardown');
    const tenantSchema = await this.tenantSchemas.forTenant(membership.tenant_id);
    if (!tenantSchema) return;
    if (await this.runs.active(tenantSchema.id)) throw new AppError(409, ERROR_CODES.conflict, 'A sync is running; cancel it first');
    await this.tenantSchemas.setState(tenantSchema.id, 'teardown');
    await this.deps.schemas.teardown(tenantSchema.schema_name);
    await this.tenantSchemas.remove(tenantSchema.id);
    for (const listener of this.teardownListeners) await listener(membership.tenant_id);
  }

  private readonly teardownListeners: Array<(tenantId: string) => Promise<void>> = [];

  /** Called after a domain's data was cleared (schedules that read it pause). */
  onTeardown(listener: (tenantId: string) => Promise<void>): void {
    this.teardownListeners.push(listener);
  }
}

/** Without data to resume from, an incremental request is a full load; say so from the start. */
function effectiveMode(requested: RunMode | undefined, tenantSchema: { last_sync_at: Date | null; state: string }): RunMode {
  if (requested === 'full' || !tenantSchema.last_sync_at || tenantSchema.state === 'expired') return 'full';
  return 'incremental';
}

export { RunFailure };
