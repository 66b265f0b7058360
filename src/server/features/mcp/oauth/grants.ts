import { sql, type Kysely } from 'kysely';
import type { McpConsentRequest, McpOAuthClientSummary } from '../../../../shared/mcp';
import { MCP_OAUTH_SCOPES } from '../../../../shared/mcp';
import { hashOAuthToken } from '../../../platform/auth/auth';
import type { Database } from '../../../platform/db/schema';
import { AppError, notFound } from '../../../platform/http/errors';
import { ERROR_CODES } from '../../../../shared/errors';
import type { TenantService } from '../../tenants/service';

/** A live grant, as an MCP call sees it. */
export interface McpGrant {
  id: string;
  userId: string;
  clientId: string;
  /** In the order picked: the first is what /mcp without a membership id uses. */
  membershipIds: string[];
  maySync: boolean;
}

/** better-auth keeps `string[]` columns as JSON text on some databases and as arrays on others. */
function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value !== 'string' || value === '') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [value];
  } catch {
    return value.split(',');
  }
}

function hostOf(uri: string | undefined): string | null {
  if (!uri) return null;
  try {
    return new URL(uri).host || new URL(uri).protocol.replace(':', '');
  } catch {
    return null;
  }
}

/**
 * What users allowed MCP clients signed in with OAuth: which domains, whether
 * they may start syncs. better-auth issues and rotates the tokens; the grant is
 * what every MCP call checks, so revoking it (or a stolen refresh token being
 * replayed) stops the client at once.
 */
export class McpGrantService {
  constructor(private readonly deps: { db: Kysely<Database>; tenants: TenantService }) {}

  /** What the consent page shows for the (signed) authorization request `query`. */
  async consentRequest(userId: string, query: URLSearchParams): Promise<McpConsentRequest> {
    const clientId = query.get('client_id') ?? '';
    const client = await this.client(clientId);
    if (!client || client.disabled) throw notFound('This MCP client');
    const requestedRedirect = query.get('redirect_uri') ?? undefined;
    const redirectUris = stringList(client.redirectUris);
    const previous = await this.live(userId, clientId);
    const memberships = await this.deps.tenants.list(userId);
    return {
      client: {
        id: client.clientId,
        name: client.name?.trim() || 'An unnamed MCP client',
        uri: client.uri ?? null,
        redirect_host: hostOf(requestedRedirect ?? redirectUris[0]) ?? 'unknown',
      },
      asks_sync: (query.get('scope') ?? '').split(' ').includes(MCP_OAUTH_SCOPES.sync),
      domains: memberships.map((m) => ({
        membership_id: m.membership_id,
        domain: m.domain,
        name: m.tenant_name,
        role: m.role,
        granted: previous?.membershipIds.includes(m.membership_id) ?? false,
      })),
    };
  }

  /** A 400 on `membership_ids` unless they are one or more of the user's own domains. */
  async checkChoice(userId: string, membershipIds: string[]): Promise<void> {
    if (membershipIds.length === 0) throw new AppError(400, ERROR_CODES.validation, 'Some fields need attention', { membership_ids: ['Choose at least one domain'] });
    const mine = new Set((await this.deps.tenants.list(userId)).map((m) => m.membership_id));
    if (membershipIds.some((id) => !mine.has(id))) {
      throw new AppError(400, ERROR_CODES.validation, 'Some fields need attention', { membership_ids: ['Choose domains from your own list'] });
    }
  }

  /** Records what the user allowed (replacing an earlier answer to the same client). */
  async record(userId: string, clientId: string, membershipIds: string[], maySync: boolean): Promise<McpGrant> {
    await this.checkChoice(userId, membershipIds);
    const chosen = [...new Set(membershipIds)];
    const row = await this.deps.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('mcp_oauth_grant')
        .set({ membership_ids: chosen, may_sync: maySync, updated_at: new Date() })
        .where('user_id', '=', userId)
        .where('client_id', '=', clientId)
        .where('revoked_at', 'is', null)
        .returning(['id'])
        .executeTakeFirst();
      if (updated) return updated;
      return trx
        .insertInto('mcp_oauth_grant')
        .values({ user_id: userId, client_id: clientId, membership_ids: chosen, may_sync: maySync, last_used_at: null, revoked_at: null })
        .returning(['id'])
        .executeTakeFirstOrThrow();
    });
    return { id: row.id, userId, clientId, membershipIds: chosen, maySync };
  }

  /**
   * The grant an access token stands for: live, and made no later than the
   * token (a token from before a revoke is not revived by a new consent).
   * Records the use, at most once a minute.
   */
  async authorize(userId: string, clientId: string, issuedAtSeconds: number): Promise<McpGrant | undefined> {
    const row = await this.deps.db
      .selectFrom('mcp_oauth_grant')
      .select(['id', 'membership_ids', 'may_sync'])
      .where('user_id', '=', userId)
      .where('client_id', '=', clientId)
      .where('revoked_at', 'is', null)
      .where(sql<boolean>`date_trunc('second', created_at) <= to_timestamp(${issuedAtSeconds})`)
      .executeTakeFirst();
    if (!row) return undefined;
    await this.deps.db
      .updateTable('mcp_oauth_grant')
      .set({ last_used_at: sql<Date>`now()` })
      .where('id', '=', row.id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`)]))
      .execute();
    return { id: row.id, userId, clientId, membershipIds: row.membership_ids, maySync: row.may_sync };
  }

  /** The user's connected clients, most recently used first. */
  async list(userId: string): Promise<McpOAuthClientSummary[]> {
    const grants = await this.deps.db
      .selectFrom('mcp_oauth_grant as g')
      .leftJoin('oauthClient as c', 'c.clientId', 'g.client_id')
      .select(['g.client_id', 'g.membership_ids', 'g.may_sync', 'g.created_at', 'g.last_used_at', 'c.name', 'c.redirectUris'])
      .where('g.user_id', '=', userId)
      .where('g.revoked_at', 'is', null)
      .orderBy(sql`coalesce(g.last_used_at, g.created_at)`, 'desc')
      .execute();
    const domains = new Map((await this.deps.tenants.list(userId)).map((m) => [m.membership_id, m.domain]));
    return grants.map((g) => ({
      client_id: g.client_id,
      name: g.name?.trim() || 'An unnamed MCP client',
      redirect_host: hostOf(stringList(g.redirectUris)[0]),
      // A domain the user has left since is not offered any more, so it is not listed either.
      domains: g.membership_ids.filter((id) => domains.has(id)).map((id) => ({ membership_id: id, domain: domains.get(id)! })),
      may_sync: g.may_sync,
      created_at: g.created_at.toISOString(),
      last_used_at: g.last_used_at?.toISOString() ?? null,
    }));
  }

  /** Revokes the client's grant, consent and tokens; its next call is a 401. Another user's client answers 404. */
  async revoke(userId: string, clientId: string): Promise<void> {
    const revoked = await this.revokeGrant(userId, clientId);
    if (!revoked) throw notFound('This MCP client');
  }

  /**
   * A refresh token that was already rotated, presented again: someone holds a
   * copy. better-auth drops the token family; Scout also ends the grant, so the
   * access tokens issued meanwhile stop too. Answers whether it was such a replay.
   */
  async revokeOnRefreshReplay(refreshToken: string): Promise<boolean> {
    const row = await this.deps.db
      .selectFrom('oauthRefreshToken')
      .select(['userId', 'clientId', 'revoked'])
      .where('token', '=', hashOAuthToken(refreshToken))
      .executeTakeFirst();
    if (!row?.revoked || !row.userId) return false;
    await this.revokeGrant(row.userId, row.clientId);
    return true;
  }

  private async revokeGrant(userId: string, clientId: string): Promise<boolean> {
    return this.deps.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('mcp_oauth_grant')
        .set({ revoked_at: sql<Date>`now()` })
        .where('user_id', '=', userId)
        .where('client_id', '=', clientId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      // The client must ask the user again: no remembered consent, no refresh token to come back with.
      await trx.deleteFrom('oauthAccessToken').where('userId', '=', userId).where('clientId', '=', clientId).execute();
      await trx.deleteFrom('oauthRefreshToken').where('userId', '=', userId).where('clientId', '=', clientId).execute();
      await trx.deleteFrom('oauthConsent').where('userId', '=', userId).where('clientId', '=', clientId).execute();
      return result.numUpdatedRows > 0n;
    });
  }

  private async live(userId: string, clientId: string): Promise<Pick<McpGrant, 'membershipIds'> | undefined> {
    const row = await this.deps.db
      .selectFrom('mcp_oauth_grant')
      .select(['membership_ids'])
      .where('user_id', '=', userId)
      .where('client_id', '=', clientId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return row ? { membershipIds: row.membership_ids } : undefined;
  }

  private async client(clientId: string) {
    // Client ids are better-auth's random strings; anything else is not worth a query.
    if (clientId.length === 0 || clientId.length > 200) return undefined;
    return this.deps.db.selectFrom('oauthClient').select(['clientId', 'name', 'uri', 'redirectUris', 'disabled']).where('clientId', '=', clientId).executeTakeFirst();
  }
}
