import { sql, type Kysely } from 'kysely';
import type { TokenLifetime } from '../../../shared/mcp';
import type { Database } from '../../platform/db/schema';
import { notFound } from '../../platform/http/errors';
import { isUuid } from '../tenants/repo';
import { generateToken, hashToken } from './token';

/** A token row as the service hands it out: everything but the hash. */
export interface McpTokenRow {
  id: string;
  user_id: string;
  name: string;
  token_prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
}

const COLUMNS = ['id', 'user_id', 'name', 'token_prefix', 'created_at', 'last_used_at', 'expires_at'] as const;

/** Personal access tokens: created, listed and revoked by their owner; checked on every MCP request. */
export class McpTokenService {
  constructor(private readonly db: Kysely<Database>) {}

  /** Returns the token once; only its hash is stored. */
  async create(userId: string, name: string, lifetime: TokenLifetime = '90'): Promise<{ row: McpTokenRow; token: string }> {
    const { token, hash, prefix } = generateToken();
    const expiresAt = lifetime === 'never' ? null : new Date(Date.now() + Number(lifetime) * 86_400_000);
    const row = await this.db
      .insertInto('mcp_token')
      .values({ user_id: userId, name, token_hash: hash, token_prefix: prefix, last_used_at: null, revoked_at: null, expires_at: expiresAt })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    return { row, token };
  }

  /** The user's tokens that still work or merely expired, newest first; revoked ones are gone. */
  list(userId: string): Promise<McpTokenRow[]> {
    return this.db
      .selectFrom('mcp_token')
      .select(COLUMNS)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
  }

  /** Another user's token id answers exactly like a missing one: 404. */
  async revoke(userId: string, tokenId: string): Promise<void> {
    if (!isUuid(tokenId)) throw notFound('This token');
    const result = await this.db
      .updateTable('mcp_token')
      .set({ revoked_at: sql<Date>`now()` })
      .where('id', '=', tokenId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw notFound('This token');
  }

  /** The token's id and user when it exists and is neither revoked nor expired; records the use. */
  async authenticate(token: string): Promise<{ tokenId: string; userId: string } | undefined> {
    const row = await this.db
      .selectFrom('mcp_token')
      .select(['id', 'user_id'])
      .where('token_hash', '=', hashToken(token))
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', sql<Date>`now()`)]))
      .executeTakeFirst();
    if (!row) return undefined;
    // At most one write a minute per token: a busy client should not turn every call into an UPDATE.
    await this.db
      .updateTable('mcp_token')
      .set({ last_used_at: sql<Date>`now()` })
      .where('id', '=', row.id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`)]))
      .execute();
    return { tokenId: row.id, userId: row.user_id };
  }
}
