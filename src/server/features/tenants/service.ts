import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { CreateTenantCredentialInput, UpdateTenantCredentialInput } from '../../../shared/tenants';
import { ERROR_CODES } from '../../../shared/errors';
import { trimEnd } from '../../../shared/text';
import { openSecret, registeredColumn, sealSecret } from '../../platform/crypto/encrypted-columns';
import type { KeyRing } from '../../platform/crypto/keyring';
import type { Database } from '../../platform/db/schema';
import { AppError, notFound } from '../../platform/http/errors';
import type { Logger } from '../../platform/logger';
import {
  CommCareAuthError,
  CommCareClient,
  CommCareNotFoundError,
  CommCarePermissionError,
  CommCareRateLimitError,
  CommCareUnavailableError,
  parseApiKeyCredential,
  type CommCareCredentials,
  type RetryPolicy,
} from '../commcare';
import type { OAuthProviderConfig } from '../../config';
import type { HqServerDirectory } from './hq-servers';
import type { OAuthTokenSource } from './oauth';
import { activeMembershipsOf, findActiveMembership, findMemberForSync, findMembership, findMembershipIncludingArchived, listMemberships, lockTenant, succeedOwners, type MembershipRow } from './repo';
import { schemaNameFor } from './schema-name';

const CREDENTIAL_SECRET = registeredColumn('tenant_credential', 'secret');
const OAUTH_RECONNECT_MESSAGE = 'CommCare sign-in expired or was revoked. Connect with CommCare again.';

/** A person waits on the form while Scout checks a key: retry briefly, then say CommCare is down. */
const VERIFY_RETRY: Partial<RetryPolicy> = { maxAttempts: 3, baseDelayMs: 300, maxDelayMs: 2_000, maxRateLimitRetries: 2, maxRetryAfterMs: 3_000 };

export const TENANT_ERROR_CODES = {
  /** The domain is already connected, with "Try with demo data"'s key: the form offers to switch it to the key entered. */
  connectedAsDemo: 'CONNECTED_AS_DEMO',
  authFailed: 'COMMCARE_AUTH_FAILED',
  noAccess: 'COMMCARE_NO_ACCESS',
  unavailable: 'COMMCARE_UNAVAILABLE',
} as const;

export interface TenantServiceDeps {
  db: Kysely<Database>;
  keyRing: KeyRing;
  servers: HqServerDirectory;
  logger: Logger;
  /** Overrides for tests that exercise CommCare outages without waiting out real backoff. */
  verifyRetry?: Partial<RetryPolicy>;
  /** The built-in simulator's demo account, when the simulator is mounted. */
  demo?: DemoAccount;
  /** Configured OAuth providers and where their users' tokens come from. */
  oauth?: { providers: OAuthProviderConfig[]; tokens: OAuthTokenSource };
}

export interface DemoAccount {
  hqBaseUrl: string;
  username: string;
  apiKey: string;
  domain: string;
  projectName: string;
}

/** Domains a user connects, selects and manages; credentials are verified with CommCare before they are kept. */
export class TenantService {
  constructor(private readonly deps: TenantServiceDeps) {}

  list(userId: string): Promise<MembershipRow[]> {
    return listMemberships(this.deps.db, userId);
  }

  async get(userId: string, membershipId: string): Promise<MembershipRow> {
    const membership = await findMembership(this.deps.db, userId, membershipId);
    if (!membership) throw notFound('This domain');
    return membership;
  }

  /** An active membership by its id alone: for work that runs on a member's behalf (a queued sync), not for requests. */
  async byId(membershipId: string): Promise<MembershipRow | undefined> {
    return findActiveMembership(this.deps.db, membershipId);
  }

  /** The tenant's active members (by the tenant's database id), owners first. */
  membersOf(tenantId: string): Promise<MembershipRow[]> {
    return activeMembershipsOf(this.deps.db, tenantId);
  }

  /**
   * The member whose credentials `scout sync` uses for a domain: an owner
   * first, then an admin, then the longest-standing member.
   */
  async memberForSync(domain: string, hqBaseUrl?: string): Promise<MembershipRow | undefined> {
    return findMemberForSync(this.deps.db, domain, hqBaseUrl === undefined ? undefined : trimEnd(hqBaseUrl, '/'));
  }

  /** What CommCare last said about a membership's credential: null once it accepted it, or why it refused. */
  async recordCredentialOutcome(membershipId: string, problem: string | null): Promise<void> {
    const now = new Date();
    await this.deps.db
      .updateTable('tenant_credential')
      .set(problem === null ? { last_error: null, verified_at: now, updated_at: now } : { last_error: problem, updated_at: now })
      .where('membership_id', '=', membershipId)
      .execute();
  }

  async select(userId: string, membershipId: string): Promise<MembershipRow> {
    const membership = await this.get(userId, membershipId);
    await this.deps.db.updateTable('tenant_membership').set({ last_selected_at: sql<Date>`clock_timestamp()` }).where('id', '=', membership.membership_id).execute();
    return membership;
  }

  /** Verifies the key with CommCare (identity, then domain access) and only then stores anything. */
  async connectWithApiKey(userId: string, input: CreateTenantCredentialInput): Promise<MembershipRow> {
    const hqBaseUrl = this.resolveServer(input.hq_base_url);
    const credentials = parseApiKeyCredential(input.credential);
    await this.verify(hqBaseUrl, credentials, input.tenant_id);
    return this.store(userId, {
      provider: input.provider,
      domain: input.tenant_id,
      hqBaseUrl,
      tenantName: input.tenant_name ?? input.tenant_id,
      credentialType: 'api_key',
      secret: input.credential.trim(),
    });
  }

  /**
   * Which of these memberships were connected with "Try with demo data" and
   * still read the domain with the demo account's key.
   */
  async demoKeyed(memberships: readonly MembershipRow[]): Promise<Set<string>> {
    const demo = this.deps.demo;
    const candidates = memberships.filter((m) => demo && m.hq_base_url === demo.hqBaseUrl && m.credential_type === 'api_key');
    if (!demo || candidates.length === 0) return new Set();
    const rows = await this.deps.db
      .selectFrom('tenant_credential')
      .select(['id', 'membership_id', 'secret'])
      .where('membership_id', 'in', candidates.map((m) => m.membership_id))
      .execute();
    const demoKey = `${demo.username}:${demo.apiKey}`;
    return new Set(rows.filter((row) => openSecret(this.deps.keyRing, CREDENTIAL_SECRET, row.id, row.secret) === demoKey).map((row) => row.membership_id));
  }

  get demoAvailable(): boolean {
    return this.deps.demo !== undefined;
  }

  /** "Try with demo data": connects the mounted simulator's demo domain with its demo key. */
  async connectDemo(userId: string): Promise<MembershipRow> {
    const demo = this.deps.demo;
    if (!demo) throw notFound('Demo data');
    const existing = (await this.list(userId)).find((m) => m.hq_base_url === demo.hqBaseUrl && m.domain === demo.domain);
    if (existing) return existing;
    return this.connectWithApiKey(userId, {
      provider: 'commcare',
      tenant_id: demo.domain,
      tenant_name: demo.projectName,
      credential: `${demo.username}:${demo.apiKey}`,
      hq_base_url: demo.hqBaseUrl,
    });
  }

  async update(userId: string, membershipId: string, input: UpdateTenantCredentialInput): Promise<MembershipRow> {
    const membership = await this.get(userId, membershipId);
    if (input.credential !== undefined) {
      await this.verify(membership.hq_base_url, parseApiKeyCredential(input.credential), membership.domain);
    }
    await this.deps.db.transaction().execute(async (trx) => {
      if (input.tenant_name !== undefined) {
        await trx.updateTable('tenant_membership').set({ tenant_name: input.tenant_name }).where('id', '=', membership.membership_id).execute();
      }
      if (input.credential !== undefined) {
        await trx.deleteFrom('tenant_credential').where('membership_id', '=', membership.membership_id).execute();
        await insertCredential(trx, this.deps.keyRing, membership.membership_id, 'api_key', input.credential.trim());
      }
    });
    return this.get(userId, membershipId);
  }

  /** The decrypted credential of a membership, for the CommCare client; never for a response. */
  async credentialsFor(membership: MembershipRow): Promise<CommCareCredentials> {
    const row = await this.deps.db
      .selectFrom('tenant_credential')
      .select(['id', 'secret', 'credential_type'])
      .where('membership_id', '=', membership.membership_id)
      .executeTakeFirst();
    if (!row) throw new AppError(409, ERROR_CODES.conflict, 'This domain has no credential; reconnect it on the Connections page');
    const plaintext = openSecret(this.deps.keyRing, CREDENTIAL_SECRET, row.id, row.secret);
    if (row.credential_type === 'api_key') return parseApiKeyCredential(plaintext);
    const { provider } = JSON.parse(plaintext) as { provider: string };
    return this.oauthCredentials(membership.user_id, provider);
  }

  /** An OAuth credential that refreshes itself on a 401 and records a failed refresh for the UI. */
  async oauthCredentials(userId: string, providerId: string): Promise<CommCareCredentials> {
    const tokens = this.deps.oauth?.tokens;
    if (!tokens) throw new CommCareAuthError('CommCare sign-in is not configured on this Scout', 401);
    try {
      const accessToken = await tokens.accessToken(userId, providerId);
      return {
        kind: 'oauth',
        accessToken,
        refresh: async () => {
          try {
            const fresh = await tokens.refresh(userId, providerId);
            await this.markOAuthCredentials(userId, null);
            return fresh;
          } catch (error) {
            await this.markOAuthCredentials(userId, OAUTH_RECONNECT_MESSAGE);
            throw error instanceof CommCareAuthError ? error : new CommCareAuthError(OAUTH_RECONNECT_MESSAGE, 401);
          }
        },
      };
    } catch (error) {
      await this.markOAuthCredentials(userId, OAUTH_RECONNECT_MESSAGE);
      throw error instanceof CommCareAuthError ? error : new CommCareAuthError(OAUTH_RECONNECT_MESSAGE, 401);
    }
  }

  /**
   * After an OAuth sign-in or link: the domains CommCare lists for the user
   * become memberships with an OAuth credential, and OAuth memberships of
   * domains it no longer lists are archived (API-key memberships are left alone).
   */
  async syncOAuthMemberships(userId: string, providerId: string): Promise<{ domains: string[]; archived: number }> {
    const provider = this.deps.oauth?.providers.find((p) => p.id === providerId);
    // CommCare Connect signs people in, but has no project spaces to list.
    if (!provider || provider.id !== 'commcare') return { domains: [], archived: 0 };
    const client = this.clientFor(provider.baseUrl, await this.oauthCredentials(userId, providerId));
    const listed = await client.userDomains();
    const secret = JSON.stringify({ provider: providerId });
    const names = new Map(listed.map((d) => [d.domain_name, d.project_name || d.domain_name]));
    const archived = await this.deps.db.transaction().execute(async (trx) => {
      for (const [domain, projectName] of names) {
        const tenant = await lockTenant(trx, { provider: 'commcare', domain, hqBaseUrl: provider.baseUrl, schemaName: schemaNameFor('commcare', provider.baseUrl, domain) });
        const existing = await findMembershipIncludingArchived(trx, userId, tenant.id);
        if (existing && !existing.archived_at) {
          if (existing.credential_type === 'oauth') {
            await trx.updateTable('tenant_credential').set({ verified_at: new Date(), last_error: null, updated_at: new Date() }).where('membership_id', '=', existing.membership_id).execute();
          }
          continue;
        }
        const role = tenant.activeMembers === 0 ? 'owner' : 'analyst';
        let membershipId: string;
        if (existing) {
          await trx.updateTable('tenant_membership').set({ archived_at: null, role }).where('id', '=', existing.membership_id).execute();
          await trx.deleteFrom('tenant_credential').where('membership_id', '=', existing.membership_id).execute();
          membershipId = existing.membership_id;
        } else {
          const inserted = await trx.insertInto('tenant_membership').values({ user_id: userId, tenant_id: tenant.id, role, tenant_name: projectName }).returning('id').executeTakeFirstOrThrow();
          membershipId = inserted.id;
        }
        await insertCredential(trx, this.deps.keyRing, membershipId, 'oauth', secret);
      }
      const stale = await trx
        .updateTable('tenant_membership')
        .set({ archived_at: new Date() })
        .where('user_id', '=', userId)
        .where('archived_at', 'is', null)
        .where('id', 'in', (eb) => eb.selectFrom('tenant_credential').select('membership_id').where('credential_type', '=', 'oauth'))
        .where('tenant_id', 'in', (eb) => {
          const query = eb.selectFrom('tenant').select('id').where('provider', '=', 'commcare').where('hq_base_url', '=', provider.baseUrl);
          return names.size > 0 ? query.where('external_id', 'not in', [...names.keys()]) : query;
        })
        .returning(['tenant_id', 'role'])
        .execute();
      await succeedOwners(trx, stale.filter((m) => m.role === 'owner').map((m) => m.tenant_id));
      return stale.length;
    });
    this.deps.logger.info({ userId, providerId, domains: names.size, archived }, 'OAuth domains synced');
    return { domains: [...names.keys()], archived };
  }

  /** After the user unlinked a provider: its OAuth memberships can no longer reach CommCare. */
  async archiveOAuthMemberships(userId: string): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const archived = await trx
        .updateTable('tenant_membership')
        .set({ archived_at: new Date() })
        .where('user_id', '=', userId)
        .where('archived_at', 'is', null)
        .where('id', 'in', (eb) => eb.selectFrom('tenant_credential').select('membership_id').where('credential_type', '=', 'oauth'))
        .returning(['tenant_id', 'role'])
        .execute();
      await succeedOwners(trx, archived.filter((m) => m.role === 'owner').map((m) => m.tenant_id));
    });
  }

  private async markOAuthCredentials(userId: string, lastError: string | null): Promise<void> {
    await this.deps.db
      .updateTable('tenant_credential')
      .set({ last_error: lastError, updated_at: new Date() })
      .where('credential_type', '=', 'oauth')
      .where('membership_id', 'in', (eb) => eb.selectFrom('tenant_membership').select('id').where('user_id', '=', userId))
      .execute();
  }

  clientFor(hqBaseUrl: string, credentials: CommCareCredentials, retry?: Partial<RetryPolicy>): CommCareClient {
    const transport = this.deps.servers.transportFor(hqBaseUrl);
    return new CommCareClient({ baseUrl: hqBaseUrl, credentials, ...(retry ? { retry } : {}), ...(transport ? { fetch: transport } : {}) });
  }

  private resolveServer(requested: string | undefined): string {
    const url = requested ?? this.deps.servers.defaultUrl;
    if (!this.deps.servers.isAllowed(url)) {
      throw new AppError(400, ERROR_CODES.validation, 'Some fields need attention', {
        hq_base_url: [`Choose one of the CommCare servers Scout is set up for: ${this.deps.servers.servers.map((s) => s.url).join(', ')}`],
      });
    }
    return url;
  }

  private async verify(hqBaseUrl: string, credentials: CommCareCredentials, domain: string): Promise<void> {
    const client = this.clientFor(hqBaseUrl, credentials, { ...VERIFY_RETRY, ...this.deps.verifyRetry });
    try {
      await client.identity();
      await client.verifyDomainAccess(domain);
    } catch (error) {
      throw this.verificationError(error, hqBaseUrl, domain);
    }
  }

  private verificationError(error: unknown, hqBaseUrl: string, domain: string): AppError {
    if (error instanceof CommCareAuthError) {
      return new AppError(400, TENANT_ERROR_CODES.authFailed, 'CommCare did not accept this username and API key', {
        credential: ['CommCare did not accept this username and API key. Copy the key again from CommCare (Settings → My Account → API Keys); keys can expire or be deactivated.'],
      });
    }
    if (error instanceof CommCarePermissionError || error instanceof CommCareNotFoundError) {
      const reason =
        error instanceof CommCareNotFoundError
          ? `${new URL(hqBaseUrl).host} has no project space named "${domain}". Check the spelling in your CommCare URL (/a/<domain>/).`
          : `This CommCare user is not a member of "${domain}", or the project's plan does not include API access.`;
      return new AppError(400, TENANT_ERROR_CODES.noAccess, reason, { tenant_id: [reason] });
    }
    if (error instanceof CommCareUnavailableError || error instanceof CommCareRateLimitError) {
      this.deps.logger.warn({ hqBaseUrl, reason: error.message }, 'CommCare unavailable during verification');
      return new AppError(502, TENANT_ERROR_CODES.unavailable, `CommCare HQ (${new URL(hqBaseUrl).host}) is not responding right now. Nothing was saved; try again in a few minutes.`);
    }
    if (error instanceof Error) this.deps.logger.error({ err: { type: error.name, message: error.message } }, 'CommCare verification failed');
    return new AppError(502, TENANT_ERROR_CODES.unavailable, 'Scout could not check this credential with CommCare. Nothing was saved; try again.');
  }

  private async store(
    userId: string,
    spec: { provider: 'commcare' | 'commcare_connect'; domain: string; hqBaseUrl: string; tenantName: string; credentialType: 'api_key' | 'oauth'; secret: string },
  ): Promise<MembershipRow> {
    const membershipId = await this.deps.db.transaction().execute(async (trx) => {
      const tenant = await lockTenant(trx, { ...spec, schemaName: schemaNameFor(spec.provider, spec.hqBaseUrl, spec.domain) });
      const existing = await findMembershipIncludingArchived(trx, userId, tenant.id);
      if (existing && !existing.archived_at && spec.credentialType === 'api_key' && (await this.demoKeyed([existing])).has(existing.membership_id)) {
        const demo = this.deps.demo!;
        if (spec.secret === `${demo.username}:${demo.apiKey}`) {
          throw new AppError(409, ERROR_CODES.conflict, `${spec.domain} is already connected as demo data`, {
            tenant_id: [`${spec.domain} is already connected as demo data, with this same demo key. To read it as yourself, enter your own CommCare username and API key.`],
          });
        }
        // Only a demo button was clicked: "already connected" would puzzle; say how, and the form offers the switch.
        throw new AppError(409, TENANT_ERROR_CODES.connectedAsDemo, `${spec.domain} is connected as demo data`, {
          tenant_id: [`${spec.domain} is connected as demo data, with Scout's demo key. Switch it to this API key to read it as your CommCare user.`],
        });
      }
      if (existing && !existing.archived_at) {
        throw new AppError(409, ERROR_CODES.conflict, 'You have already connected this domain', {
          tenant_id: ['You have already connected this domain. Edit it on the Connections page to change its key.'],
        });
      }
      const role = tenant.activeMembers === 0 ? 'owner' : 'analyst';
      let id: string;
      if (existing) {
        // Reconnecting a domain the user had lost access to revives the old membership.
        await trx.updateTable('tenant_membership').set({ archived_at: null, tenant_name: spec.tenantName, role }).where('id', '=', existing.membership_id).execute();
        await trx.deleteFrom('tenant_credential').where('membership_id', '=', existing.membership_id).execute();
        id = existing.membership_id;
      } else {
        const inserted = await trx
          .insertInto('tenant_membership')
          .values({ user_id: userId, tenant_id: tenant.id, role, tenant_name: spec.tenantName })
          .returning('id')
          .executeTakeFirstOrThrow();
        id = inserted.id;
      }
      await insertCredential(trx, this.deps.keyRing, id, spec.credentialType, spec.secret);
      return id;
    });
    this.deps.logger.info({ userId, membershipId, domain: spec.domain }, 'domain connected');
    return this.get(userId, membershipId);
  }
}

async function insertCredential(db: Kysely<Database>, keyRing: KeyRing, membershipId: string, type: 'api_key' | 'oauth', secret: string) {
  const id = randomUUID();
  await db
    .insertInto('tenant_credential')
    .values({ id, membership_id: membershipId, credential_type: type, secret: sealSecret(keyRing, CREDENTIAL_SECRET, id, secret), verified_at: new Date(), last_error: null })
    .execute();
}
