import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import {
  secretFields,
  type CatalogEntry,
  type ConnectionCheck,
  type ConnectorStatus,
  type ConnectorSummary,
  type PublishTarget,
  type ValidateConfigResult,
} from '../../../shared/connectors';
import { ERROR_CODES } from '../../../shared/errors';
import { openSecret, registeredColumn, sealSecret } from '../../platform/crypto/encrypted-columns';
import type { KeyRing } from '../../platform/crypto/keyring';
import type { Database } from '../../platform/db/schema';
import { Egress, EgressError } from '../../platform/http/egress';
import { AppError, notFound } from '../../platform/http/errors';
import { adapterFor, type ConnectionOutcome, type ConnectionTarget } from '../publishing/adapters';
import { defaultSocialProviders, type SocialProviders } from '../../config';
import { oauthProviderFor } from './oauth-providers';
import { isUuid, type MembershipRow } from '../tenants/repo';
import type { TenantService } from '../tenants/service';
import { presentCatalogEntry } from './catalog';
import { authorize } from '../../platform/permissions';
import { presentConnector, presentPublishTarget, type ConnectorRow, type SecretRow } from './presenter';
import { SpecValidator, type FieldErrors } from './spec-validator';

const SECRET = registeredColumn('connector_secret', 'ciphertext');

export interface ConnectorServiceDeps {
  db: Kysely<Database>;
  keyRing: KeyRing;
  tenants: TenantService;
  /** The way out for calls to connectors' addresses (tests, and later publishing). */
  egress?: Egress;
  /** X and LinkedIn endpoints and Scout's apps there (default: the real ones, no app). */
  social?: SocialProviders;
}

/** A connection test's outcome as stored and answered. */
type CheckResult = ConnectionOutcome & { checked_at: Date };

/** What an update will write, worked out (and validated) before anything is written. */
interface UpdatePlan {
  config: Record<string, unknown>;
  plainAuth: Record<string, unknown>;
  change: AuthChange;
  status: ConnectorStatus;
  /** The result is live (active, or failing) and its target or credentials change: test it first. */
  test: boolean;
}

export interface CreateInput {
  catalog_key: string;
  name: string;
  config: Record<string, unknown>;
  auth?: Record<string, unknown> | undefined;
  tags?: string[] | undefined;
}

export interface UpdateInput {
  name?: string | undefined;
  config?: Record<string, unknown> | undefined;
  auth?: Record<string, unknown> | undefined;
  tags?: string[] | undefined;
  status?: 'inactive' | 'active' | undefined;
}

export interface ListFilters {
  search?: string | undefined;
  status?: ConnectorStatus | undefined;
  catalog?: string | undefined;
}

/** Auth changes split by where they are kept: plain jsonb or one ciphertext per secret field. */
interface AuthChange {
  plain: Record<string, unknown>;
  secretsSet: Record<string, string>;
  secretsCleared: string[];
}

/** Each tenant's installed connectors: schema-validated config, encrypted secrets, owner/admin writes. */
export class ConnectorService {
  private readonly validator = new SpecValidator();
  private catalogCache: Promise<Map<string, CatalogEntry & { id: string }>> | undefined;

  private readonly egress: Egress;
  readonly social: SocialProviders;

  constructor(private readonly deps: ConnectorServiceDeps) {
    this.egress = deps.egress ?? new Egress();
    this.social = deps.social ?? defaultSocialProviders();
  }

  /** The catalog is read-only while Scout runs (seeded at start), so it is read once. */
  private entries(): Promise<Map<string, CatalogEntry & { id: string }>> {
    this.catalogCache ??= this.deps.db
      .selectFrom('connector_catalog')
      .selectAll()
      .orderBy('name')
      .execute()
      .then((rows) => new Map(rows.map((row) => [row.key, { ...this.withOAuth(presentCatalogEntry(row)), id: row.id }])))
      .catch((error: unknown) => {
        this.catalogCache = undefined;
        throw error;
      });
    return this.catalogCache;
  }

  /** OAuth types say whether Scout has its app at the provider (then Connect replaces pasted tokens). */
  private withOAuth(entry: CatalogEntry): CatalogEntry {
    const provider = oauthProviderFor(this.social, entry.key);
    return provider ? { ...entry, oauth: { provider: provider.id, name: provider.name, configured: provider.client !== undefined } } : entry;
  }

  async catalog(): Promise<CatalogEntry[]> {
    return [...(await this.entries()).values()].map(({ id: _id, ...entry }) => entry);
  }

  private async entry(key: string): Promise<(CatalogEntry & { id: string }) | undefined> {
    return (await this.entries()).get(key);
  }

  private async entryById(id: string): Promise<CatalogEntry & { id: string }> {
    const found = [...(await this.entries()).values()].find((e) => e.id === id);
    if (!found) throw new Error(`connector catalog entry ${id} is missing`);
    return found;
  }

  async list(membership: MembershipRow, filters: ListFilters = {}): Promise<ConnectorSummary[]> {
    authorize(membership, 'connectors.view');
    let query = this.rows(this.deps.db).where('c.tenant_id', '=', membership.tenant_id);
    if (filters.status) query = query.where('c.status', '=', filters.status);
    if (filters.catalog) query = query.where('k.key', '=', filters.catalog);
    if (filters.search?.trim()) {
      const pattern = `%${filters.search.trim().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      query = query.where((eb) => eb.or([eb('c.name', 'ilike', pattern), sql<boolean>`exists (select 1 from unnest(c.tags) t where t ilike ${pattern})`]));
    }
    const rows = await query.orderBy(sql`lower(c.name)`).execute();
    return this.present(rows);
  }

  async get(membership: MembershipRow, connectorId: string): Promise<ConnectorSummary> {
    authorize(membership, 'connectors.view');
    const row = await this.find(this.deps.db, membership.tenant_id, connectorId);
    return (await this.present([row]))[0]!;
  }

  async nameAvailable(membership: MembershipRow, name: string, exceptId?: string): Promise<boolean> {
    authorize(membership, 'connectors.view');
    let query = this.deps.db.selectFrom('connector').select('id').where('tenant_id', '=', membership.tenant_id).where(sql`lower(name)`, '=', name.trim().toLowerCase());
    if (exceptId && isUuid(exceptId)) query = query.where('id', '<>', exceptId);
    return (await query.executeTakeFirst()) === undefined;
  }

  async create(membership: MembershipRow, input: CreateInput): Promise<ConnectorSummary> {
    authorize(membership, 'connectors.manage');
    const entry = await this.entry(input.catalog_key);
    if (!entry) throw invalid({ catalog_key: [`There is no connector type '${input.catalog_key}'`] });
    const config = structuredClone(input.config);
    const auth = withoutNulls(input.auth ?? {});
    const errors = { ...this.validator.config(entry, config), ...this.authErrors(entry, input.auth ?? {}, auth) };
    Object.assign(errors, await this.addressErrors(entry, config, errors));
    if (Object.keys(errors).length > 0) throw invalid(errors);
    const change = splitAuth(entry, auth);
    const id = randomUUID();
    await this.write(async (trx) => {
      await trx
        .insertInto('connector')
        .values({
          id,
          tenant_id: membership.tenant_id,
          catalog_id: entry.id,
          name: input.name,
          config: JSON.stringify(config),
          auth: JSON.stringify(change.plain),
          tags: input.tags ?? [],
          created_by: membership.user_id,
          updated_by: membership.user_id,
        })
        .execute();
      await this.applySecrets(trx, membership.tenant_id, id, change);
    });
    return this.get(membership, id);
  }

  async update(membership: MembershipRow, connectorId: string, input: UpdateInput): Promise<ConnectorSummary> {
    authorize(membership, 'connectors.manage');
    const before = await this.find(this.deps.db, membership.tenant_id, connectorId);
    const entry = await this.entryById(before.catalog_id);
    const plan = await this.plan(before, entry, input);
    // The test runs outside the transaction: it waits on another server, and a row lock should not.
    const check = plan.test ? await this.runTest(entry, plan.config, await this.plannedCredentials(before, plan), { tenantId: before.tenant_id, connectorId: before.id }) : undefined;
    if (check && !check.ok) {
      // The card shows why it did not go live. An active connector keeps its state: what failed is the edit, not what it runs with.
      if (before.status !== 'active') await this.recordCheck(before.id, check);
      throw new AppError(400, ERROR_CODES.validation, check.message, check.field ? { [check.field]: [check.message] } : undefined);
    }
    await this.write(async (trx) => {
      const row = await this.find(trx, membership.tenant_id, connectorId, { lock: true });
      // Planned and tested against `before`: an edit made meanwhile is not overwritten unseen.
      if (row.updated_at.getTime() !== before.updated_at.getTime()) {
        throw new AppError(409, ERROR_CODES.conflict, 'Someone changed this connector meanwhile; reload it and try again');
      }
      await trx
        .updateTable('connector')
        .set({
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.tags !== undefined ? { tags: input.tags } : {}),
          config: JSON.stringify(plan.config),
          auth: JSON.stringify(plan.plainAuth),
          // A passing test is the recovery of a failing connector.
          status: check?.ok && plan.status === 'error' ? 'active' : plan.status,
          // A user's activation or deactivation acknowledges the system's error; so does a passing test.
          ...(input.status || check?.ok ? { last_error: null } : {}),
          ...(check ? checkColumns(check) : {}),
          updated_by: membership.user_id,
          updated_at: new Date(),
        })
        .where('id', '=', row.id)
        .execute();
      await this.applySecrets(trx, membership.tenant_id, row.id, plan.change);
    });
    return this.get(membership, connectorId);
  }

  /**
   * `POST …/connectors/<id>/test`: the adapter's real API call with the stored
   * credentials. A failure turns an active connector to `error` (with the
   * reason); a success brings a failing one back to `active`.
   */
  async test(membership: MembershipRow, connectorId: string): Promise<ConnectionCheck> {
    authorize(membership, 'connectors.manage');
    const row = await this.find(this.deps.db, membership.tenant_id, connectorId);
    const entry = await this.entryById(row.catalog_id);
    if (!adapterFor(entry.key)) throw new AppError(400, ERROR_CODES.validation, `Scout cannot test ${entry.name} connections yet`);
    const credentials = await this.credentials(membership.tenant_id, row.id);
    const missing = this.validator.missingAuth(entry, new Set(Object.keys(credentials)));
    if (Object.keys(missing).length > 0) throw invalid(missing, 'Set every required credential before testing the connection');
    const check = await this.runTest(entry, row.config, { ...credentials, ...tokenExpiry(row) }, { tenantId: membership.tenant_id, connectorId: row.id });
    await this.recordCheck(row.id, check);
    return presentCheck(check);
  }

  /** After Scout stored new tokens (OAuth connect): the connection test, recorded like any other. */
  async recheck(tenantId: string, connectorId: string): Promise<ConnectionCheck> {
    const row = await this.find(this.deps.db, tenantId, connectorId);
    const entry = await this.entryById(row.catalog_id);
    const target = await this.connectionTarget(tenantId, connectorId);
    const check = await this.runTest(entry, row.config, target.credentials, { tenantId, connectorId: row.id });
    await this.recordCheck(row.id, check);
    return presentCheck(check);
  }

  /** The catalog entry of an installed connector, for the OAuth flow (scoped by tenant). */
  async entryOf(tenantId: string, connectorId: string): Promise<CatalogEntry & { connectorId: string }> {
    const row = await this.find(this.deps.db, tenantId, connectorId);
    return { ...(await this.entryById(row.catalog_id)), connectorId: row.id };
  }

  /** Validates an update against the row as read, and works out what it writes. */
  private async plan(row: ConnectorRow, entry: CatalogEntry, input: UpdateInput): Promise<UpdatePlan> {
    const config = input.config ? withoutNulls({ ...row.config, ...input.config }) : row.config;
    const authPatch = input.auth ?? {};
    const errors = { ...(input.config ? this.validator.config(entry, config) : {}), ...this.authErrors(entry, authPatch, withoutNulls(authPatch)) };
    if (input.config) Object.assign(errors, await this.addressErrors(entry, config, errors));
    if (Object.keys(errors).length > 0) throw invalid(errors);

    const change = splitAuth(entry, authPatch);
    // A null in the patch clears a plain field just as it clears a secret.
    const plainAuth = withoutNulls({ ...row.auth, ...change.plain });
    const storedSecrets = await this.deps.db.selectFrom('connector_secret').select('field').where('connector_id', '=', row.id).execute();
    const present = new Set([...Object.keys(plainAuth), ...storedSecrets.map((s) => s.field).filter((f) => !change.secretsCleared.includes(f)), ...Object.keys(change.secretsSet)]);
    const status: ConnectorStatus = input.status ?? row.status;
    if (status === 'active') {
      const missing = this.validator.missingAuth(entry, present);
      if (Object.keys(missing).length > 0) {
        throw invalid(missing, row.status === 'active' ? 'An active connector needs every required credential; deactivate it first' : 'Set every required credential before activating');
      }
    }
    const changesTarget = input.config !== undefined || input.auth !== undefined;
    const test = status !== 'inactive' && adapterFor(entry.key) !== undefined && (status !== row.status || changesTarget);
    return { config, plainAuth, change, status, test };
  }

  /** The credentials the connector will have once `plan` is written. */
  private async plannedCredentials(row: ConnectorRow, plan: UpdatePlan): Promise<Record<string, unknown>> {
    const stored = await this.secretValues(row.tenant_id, row.id);
    for (const field of plan.change.secretsCleared) delete stored[field];
    return { ...plan.plainAuth, ...stored, ...tokenExpiry(row), ...plan.change.secretsSet };
  }

  private async runTest(entry: CatalogEntry, config: Record<string, unknown>, credentials: Record<string, unknown>, connector?: { tenantId: string; connectorId: string }): Promise<CheckResult> {
    const adapter = adapterFor(entry.key);
    if (!adapter) throw new Error(`no adapter for ${entry.key}`);
    const target: ConnectionTarget = { config, credentials, ...this.oauthParts(entry, connector) };
    const outcome = await adapter.testConnection(target, this.egress);
    return { ...outcome, checked_at: new Date() };
  }

  /** What an OAuth type's adapter needs beyond config and credentials: the provider, and storage for renewed tokens. */
  private oauthParts(entry: CatalogEntry, connector?: { tenantId: string; connectorId: string }): Partial<ConnectionTarget> {
    const provider = oauthProviderFor(this.social, entry.key);
    if (!provider) return {};
    if (!connector) return { provider };
    return { provider, updateCredentials: (patch) => this.storeCredentials(connector.tenantId, connector.connectorId, patch) };
  }

  /**
   * For features that publish (server-side only): everything an adapter
   * needs to act for this connector (decrypted credentials, the token's
   * expiry, the OAuth provider, storage for renewed tokens) but the publish
   * attempt log, which the caller adds. Scoped by tenant.
   */
  async connectionTarget(tenantId: string, connectorId: string): Promise<ConnectionTarget> {
    const row = await this.find(this.deps.db, tenantId, connectorId);
    const entry = await this.entryById(row.catalog_id);
    const credentials = { ...row.auth, ...(await this.secretValues(tenantId, row.id)), ...tokenExpiry(row) };
    return { config: row.config, credentials, ...this.oauthParts(entry, { tenantId, connectorId: row.id }) };
  }

  /**
   * Stores credentials Scout obtained itself (an OAuth exchange, a renewed
   * token): secret fields encrypted, `token_expires_at` (ISO, '' for none)
   * in its column. With `replaceTokens`, token fields not in `patch` are
   * cleared, so a new sign-in never keeps an old refresh token.
   */
  async storeCredentials(tenantId: string, connectorId: string, patch: Record<string, string>, { replaceTokens = false } = {}): Promise<void> {
    const row = await this.find(this.deps.db, tenantId, connectorId);
    const entry = await this.entryById(row.catalog_id);
    const secrets = secretFields(entry.auth_schema);
    const change: AuthChange = { plain: {}, secretsSet: {}, secretsCleared: [] };
    for (const [field, value] of Object.entries(patch)) if (secrets.includes(field) && value !== '') change.secretsSet[field] = value;
    if (replaceTokens) for (const field of ['access_token', 'refresh_token']) if (secrets.includes(field) && !(field in change.secretsSet)) change.secretsCleared.push(field);
    await this.write(async (trx) => {
      if ('token_expires_at' in patch) {
        const at = patch.token_expires_at ? new Date(patch.token_expires_at) : null;
        await trx.updateTable('connector').set({ token_expires_at: at && Number.isFinite(at.getTime()) ? at : null }).where('id', '=', row.id).execute();
      }
      await this.applySecrets(trx, tenantId, row.id, change);
    });
  }

  /**
   * Stores a test's outcome; the database moves the state (active -> error on
   * a failure, error -> active on a success) so a concurrent (de)activation
   * is never undone. Not a user's edit: updated_at stays.
   */
  private async recordCheck(connectorId: string, check: CheckResult): Promise<void> {
    await this.deps.db
      .updateTable('connector')
      .set({
        ...checkColumns(check),
        last_error: check.ok ? null : check.message.slice(0, 1000),
        status: check.ok
          ? sql<ConnectorStatus>`CASE WHEN status = 'error' THEN 'active' ELSE status END`
          : sql<ConnectorStatus>`CASE WHEN status = 'active' THEN 'error' ELSE status END`,
      })
      .where('id', '=', connectorId)
      .execute();
  }

  /**
   * Config fields holding a web address (`format: uri`) that Scout may not
   * connect to: private, loopback, metadata (after DNS), or with credentials
   * in it. A name that does not resolve (yet) is left to the connection test.
   */
  private async addressErrors(entry: CatalogEntry, config: Record<string, unknown>, known: FieldErrors): Promise<FieldErrors> {
    const errors: FieldErrors = {};
    for (const [field, property] of Object.entries(entry.config_schema.properties)) {
      const value = config[field];
      if (property.format !== 'uri' || typeof value !== 'string' || known[`config.${field}`]) continue;
      try {
        await this.egress.vet(value, AbortSignal.timeout(3000));
      } catch (error) {
        if (error instanceof EgressError && (error.reason === 'refused' || error.reason === 'invalid_url')) errors[`config.${field}`] = [error.message];
      }
    }
    return errors;
  }

  async remove(membership: MembershipRow, connectorId: string): Promise<void> {
    authorize(membership, 'connectors.manage');
    const row = await this.find(this.deps.db, membership.tenant_id, connectorId);
    await this.deps.db.deleteFrom('connector').where('id', '=', row.id).execute();
  }

  /** `POST /api/connectors/validate-config`: the errors a create would give, plus what activation needs. */
  async validate(input: { catalog_key: string; config: Record<string, unknown>; auth?: Record<string, unknown> | undefined }): Promise<ValidateConfigResult> {
    const entry = await this.entry(input.catalog_key);
    if (!entry) return { valid: false, errors: { catalog_key: [`There is no connector type '${input.catalog_key}'`] } };
    const auth = withoutNulls(input.auth ?? {});
    // Validated with defaults filled in, as create would store it.
    const config = structuredClone(input.config);
    const errors: FieldErrors = {
      ...this.validator.config(entry, config),
      ...(input.auth ? this.validator.missingAuth(entry, new Set(Object.keys(auth))) : {}),
      ...this.authErrors(entry, input.auth ?? {}, auth),
    };
    Object.assign(errors, await this.addressErrors(entry, config, errors));
    return { valid: Object.keys(errors).length === 0, errors };
  }

  async publishTargets(membership: MembershipRow): Promise<PublishTarget[]> {
    authorize(membership, 'connectors.view');
    const rows = await this.rows(this.deps.db).where('c.tenant_id', '=', membership.tenant_id).where('c.status', '=', 'active').orderBy(sql`lower(c.name)`).execute();
    const targets: PublishTarget[] = [];
    for (const row of rows) {
      const entry = await this.entryById(row.catalog_id);
      if (entry.capabilities.publish === true) targets.push(presentPublishTarget(row, entry));
    }
    return targets;
  }

  /** For features that publish (server-side only): the connector's decrypted credentials. */
  async credentials(tenantId: string, connectorId: string): Promise<Record<string, unknown>> {
    const row = await this.find(this.deps.db, tenantId, connectorId);
    return { ...row.auth, ...(await this.secretValues(tenantId, row.id)) };
  }

  private async secretValues(tenantId: string, connectorId: string): Promise<Record<string, string>> {
    const secrets = await this.deps.db.selectFrom('connector_secret').select(['id', 'field', 'ciphertext']).where('connector_id', '=', connectorId).execute();
    return Object.fromEntries(secrets.map((s) => [s.field, openSecret(this.deps.keyRing, SECRET, s.id, s.ciphertext, { tenant_id: tenantId, connector_id: connectorId, field: s.field })]));
  }

  /** The system (a failed publish, a refused token) marks a connector as failing; users clear it by (de)activating. */
  async markError(tenantId: string, connectorId: string, message: string): Promise<void> {
    await this.deps.db.updateTable('connector').set({ status: 'error', last_error: message.slice(0, 1000), updated_at: new Date() }).where('tenant_id', '=', tenantId).where('id', '=', connectorId).execute();
  }

  private authErrors(entry: CatalogEntry, submitted: Record<string, unknown>, values: Record<string, unknown>): FieldErrors {
    const errors = this.validator.authValues(entry, values);
    for (const field of Object.keys(submitted)) {
      if (submitted[field] === null && !(field in entry.auth_schema.properties)) errors[`auth.${field}`] = ['is not a field of this connector'];
    }
    return errors;
  }

  private rows(db: Kysely<Database> | Transaction<Database>) {
    return db.selectFrom('connector as c').innerJoin('connector_catalog as k', 'k.id', 'c.catalog_id').selectAll('c').select('k.key as catalog_key');
  }

  private async find(db: Kysely<Database> | Transaction<Database>, tenantId: string, connectorId: string, { lock = false } = {}): Promise<ConnectorRow> {
    if (!isUuid(connectorId)) throw notFound('This connector');
    let query = this.rows(db).where('c.tenant_id', '=', tenantId).where('c.id', '=', connectorId);
    if (lock) query = query.forUpdate('c');
    const row = await query.executeTakeFirst();
    if (!row) throw notFound('This connector');
    return row;
  }

  private async present(rows: ConnectorRow[]): Promise<ConnectorSummary[]> {
    if (rows.length === 0) return [];
    const secrets = await this.deps.db
      .selectFrom('connector_secret')
      .select(['connector_id', 'field', 'updated_at'])
      .where('connector_id', 'in', rows.map((r) => r.id))
      .execute();
    const byConnector = new Map<string, SecretRow[]>();
    for (const s of secrets) (byConnector.get(s.connector_id) ?? byConnector.set(s.connector_id, []).get(s.connector_id)!).push(s);
    await this.expireTokens(rows, byConnector);
    return Promise.all(rows.map(async (row) => presentConnector(row, await this.entryById(row.catalog_id), byConnector.get(row.id) ?? [])));
  }

  /**
   * An active connector whose token has expired and cannot renew itself
   * (LinkedIn's 60 days) is failing: it turns to `error` with the reason,
   * here, where it is first looked at. The rows are updated in place.
   */
  private async expireTokens(rows: ConnectorRow[], secrets: Map<string, SecretRow[]>): Promise<void> {
    const now = Date.now();
    for (const row of rows) {
      if (row.status !== 'active' || !row.token_expires_at || row.token_expires_at.getTime() > now) continue;
      if ((secrets.get(row.id) ?? []).some((s) => s.field === 'refresh_token')) continue;
      const entry = await this.entryById(row.catalog_id);
      const message = `The ${entry.oauth?.name ?? entry.name} sign-in expired on ${row.token_expires_at.toISOString().slice(0, 10)}: connect the account again to publish.`;
      const updated = await this.deps.db
        .updateTable('connector')
        .set({ status: 'error', last_error: message })
        .where('id', '=', row.id)
        .where('status', '=', 'active')
        .where('token_expires_at', '<=', new Date(now))
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) > 0) Object.assign(row, { status: 'error', last_error: message });
    }
  }

  private async applySecrets(trx: Transaction<Database>, tenantId: string, connectorId: string, change: AuthChange): Promise<void> {
    if (change.secretsCleared.length > 0) {
      await trx.deleteFrom('connector_secret').where('connector_id', '=', connectorId).where('field', 'in', change.secretsCleared).execute();
    }
    for (const [field, value] of Object.entries(change.secretsSet)) {
      const id = randomUUID();
      const ciphertext = sealSecret(this.deps.keyRing, SECRET, id, value, { tenant_id: tenantId, connector_id: connectorId, field });
      await trx
        .insertInto('connector_secret')
        .values({ id, tenant_id: tenantId, connector_id: connectorId, field, ciphertext })
        .onConflict((oc) => oc.columns(['connector_id', 'field']).doUpdateSet({ id, ciphertext, updated_at: new Date() }))
        .execute();
    }
  }

  /** Runs a write in a transaction; the unique name index becomes a 409 on `name`. */
  private async write(work: (trx: Transaction<Database>) => Promise<void>): Promise<void> {
    try {
      await this.deps.db.transaction().execute(work);
    } catch (error) {
      if ((error as { code?: string; constraint?: string }).code === '23505' && (error as { constraint?: string }).constraint === 'connector_tenant_name') {
        throw new AppError(409, ERROR_CODES.conflict, 'A connector with this name already exists in this domain', { name: ['This name is taken; choose another'] });
      }
      throw error;
    }
  }
}

/** The stored token's expiry as adapters read it (a credential like the others, though not secret). */
function tokenExpiry(row: ConnectorRow): Record<string, string> {
  return row.token_expires_at ? { token_expires_at: row.token_expires_at.toISOString() } : {};
}

function checkColumns(check: CheckResult) {
  return {
    last_checked_at: check.checked_at,
    last_check_ok: check.ok,
    last_check_message: check.message.slice(0, 1000),
    ...(check.ok ? { account_name: check.account.name.slice(0, 500), account_url: check.account.url?.slice(0, 2000) ?? null } : {}),
  };
}

function presentCheck(check: CheckResult): ConnectionCheck {
  return { ok: check.ok, checked_at: check.checked_at.toISOString(), account: check.ok ? check.account : null, message: check.message };
}

function invalid(fields: FieldErrors, message = 'Some fields need attention'): AppError {
  return new AppError(400, ERROR_CODES.validation, message, fields);
}

function withoutNulls(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null && v !== undefined));
}

function isSecret(entry: CatalogEntry, field: string): boolean {
  return secretFields(entry.auth_schema).includes(field);
}

/** Sorts auth values (null = clear) by where they are kept: plain fields as given, secrets to set or clear. */
function splitAuth(entry: CatalogEntry, values: Record<string, unknown>): AuthChange {
  const change: AuthChange = { plain: {}, secretsSet: {}, secretsCleared: [] };
  for (const [field, value] of Object.entries(values)) {
    if (!isSecret(entry, field)) change.plain[field] = value;
    else if (value === null) change.secretsCleared.push(field);
    else change.secretsSet[field] = String(value);
  }
  return change;
}
