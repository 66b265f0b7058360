import { sql, type Kysely } from 'kysely';

/**
 * `limit` calls per key (a user, a token) per window, counted in PostgreSQL
 * so that every web process agrees. The generic cell rate algorithm: a key
 * may burst up to `limit` calls at once, then regains one every
 * window/limit; the state is one timestamp (its theoretical arrival time,
 * TAT), updated by one atomic upsert per call whatever the limit. Refused
 * calls are not counted, so a client that waits as told gets in.
 */
export class RateLimit {
  constructor(
    // Kysely<any>: the limiter needs only its own table, whatever database type the caller holds.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    private readonly db: Kysely<any>,
    /** Which limit this is ('chat', 'mcp', 'rest-tools'): keys of different limits never meet. */
    readonly bucket: string,
    readonly limit: number,
    readonly windowSeconds = 60,
  ) {}

  /** Counts a call; returns the seconds to wait when the key is over its limit, else 0. */
  async take(key: string): Promise<number> {
    const window = sql`make_interval(secs => ${this.windowSeconds})`;
    const interval = sql`make_interval(secs => ${this.windowSeconds / this.limit})`;
    const now = sql`statement_timestamp()`;
    // A call is allowed when, after it, the TAT is at most a window ahead of now.
    const { rows } = await sql<{ allowed: boolean; wait: number }>`
      INSERT INTO rate_limit AS r (bucket, key, tat, allowed)
      VALUES (${this.bucket}, ${key}, ${now} + ${interval}, true)
      ON CONFLICT (bucket, key) DO UPDATE SET
        allowed = greatest(r.tat, ${now}) + ${interval} - ${window} <= ${now},
        tat = CASE WHEN greatest(r.tat, ${now}) + ${interval} - ${window} <= ${now} THEN greatest(r.tat, ${now}) + ${interval} ELSE r.tat END
      RETURNING allowed, greatest(1, ceil(extract(epoch FROM tat + ${interval} - ${window} - ${now})))::int AS wait`.execute(this.db);
    const row = rows[0];
    return !row || row.allowed ? 0 : row.wait;
  }
}
