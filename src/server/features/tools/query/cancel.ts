import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * The name a cancellable query's session carries while it runs: derived from
 * the membership and the client's request id, so a request id cancels only
 * its own member's query, in whichever Scout process runs it.
 */
export function queryLabel(membershipId: string, requestId: string): string {
  return `scout:q:${createHash('sha256').update(`${membershipId}:${requestId.toLowerCase()}`).digest('hex').slice(0, 40)}`;
}

/**
 * Cancels the statement running under `label` (PostgreSQL's pg_cancel_backend
 * on that query's own connection). False when no such query runs: it
 * finished, never started, or is someone else's.
 */
export async function cancelQuery(pool: pg.Pool, label: string): Promise<boolean> {
  const { rows } = await pool.query<{ cancelled: boolean }>(
    `SELECT pg_cancel_backend(pid) AS cancelled FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database() AND pid <> pg_backend_pid()`,
    [label],
  );
  return rows.some((row) => row.cancelled);
}
