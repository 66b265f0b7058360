import { sql, type Kysely } from 'kysely';
import type { HistoryEntry } from '../../../shared/query-history';
import type { Database } from '../../platform/db/schema';
import { notFound } from '../../platform/http/errors';
import type { MembershipRow } from '../tenants/repo';

/** The tools whose SQL is the member's: what they queried, charted and exported. */
const SQL_TOOLS = ['query', 'visualize', 'export'];
const MAX_ENTRIES = 200;

/** `%` and `_` are patterns in LIKE: a search for them means the characters. */
function likePattern(search: string): string {
  let escaped = '';
  for (const char of search) escaped += char === '%' || char === '_' || char === '\\' ? `\\${char}` : char;
  return `%${escaped}%`;
}

/**
 * A member's query history, read from the audit log (every channel's calls
 * with SQL), one entry per distinct SQL, and the queries they starred.
 */
export class QueryHistoryService {
  constructor(
    private readonly db: Kysely<Database>,
    /** The audit log is written behind each call: reading waits for what is on its way. */
    private readonly flushAudit: () => Promise<void>,
  ) {}

  async list(membership: MembershipRow, options: { search?: string; starred?: boolean; limit?: number } = {}): Promise<HistoryEntry[]> {
    await this.flushAudit();
    const limit = Math.min(Math.max(options.limit ?? 100, 1), MAX_ENTRIES);
    const pattern = options.search?.trim() ? likePattern(options.search.trim()) : undefined;
    const { rows } = await sql<{ sql: string; last_run_at: Date | null; runs: string; last_outcome: string | null; last_rows: number | null; star_id: string | null }>`
      WITH runs AS (
        SELECT c.arguments->>'sql' AS sql, c.called_at, COALESCE(c.error_code, 'success') AS outcome, c.rows
        FROM tool_call c
        WHERE c.membership_id = ${membership.membership_id} AND c.user_id = ${membership.user_id}
          AND c.tool IN (${sql.join(SQL_TOOLS)}) AND jsonb_typeof(c.arguments->'sql') = 'string'
      ), latest AS (
        SELECT DISTINCT ON (sql) sql, called_at, outcome, rows, count(*) OVER (PARTITION BY sql) AS runs
        FROM runs ORDER BY sql, called_at DESC
      )
      SELECT COALESCE(l.sql, s.sql) AS sql, l.called_at AS last_run_at, COALESCE(l.runs, 0) AS runs, l.outcome AS last_outcome, l.rows AS last_rows, s.id::text AS star_id
      FROM latest l
      FULL JOIN (SELECT id, sql FROM query_star WHERE membership_id = ${membership.membership_id}) s ON s.sql = l.sql
      WHERE (${pattern ?? null}::text IS NULL OR COALESCE(l.sql, s.sql) ILIKE ${pattern ?? null})
        AND (${options.starred === true} = false OR s.id IS NOT NULL)
      ORDER BY (s.id IS NOT NULL) DESC, l.called_at DESC NULLS LAST
      LIMIT ${limit}`.execute(this.db);
    return rows.map((row) => ({
      sql: row.sql,
      last_run_at: row.last_run_at?.toISOString() ?? null,
      runs: Number(row.runs),
      last_outcome: row.last_outcome,
      last_rows: row.last_rows,
      star_id: row.star_id,
    }));
  }

  /** Stars the SQL (starring it twice keeps one star); returns the star's id. */
  async star(membership: MembershipRow, text: string): Promise<string> {
    const inserted = await sql<{ id: string }>`
      INSERT INTO query_star (membership_id, sql) VALUES (${membership.membership_id}, ${text})
      ON CONFLICT (membership_id, md5(sql)) DO UPDATE SET sql = EXCLUDED.sql
      RETURNING id::text AS id`.execute(this.db);
    return inserted.rows[0]!.id;
  }

  async unstar(membership: MembershipRow, starId: string): Promise<void> {
    if (!/^\d{1,18}$/.test(starId)) throw notFound('This star');
    const result = await this.db.deleteFrom('query_star').where('id', '=', starId).where('membership_id', '=', membership.membership_id).executeTakeFirst();
    if (result.numDeletedRows === 0n) throw notFound('This star');
  }
}
