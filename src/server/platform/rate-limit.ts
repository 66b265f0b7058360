import { sql, type Kysely } from 'kysely';

/**
 * Calls per key (a user, a token) in a sliding window, counted in PostgreSQL
 * so that every web process agrees: one statement per call, atomic under the
 * row lock of its upsert, holding at most `limit` timestamps per key.
 * Refused calls are not counted, so a client that waits as told gets in.
 */
export class RateLimit {
  constructor(
    // Kysely<any>: the limiter needs only its own table, whatever database type the caller holds.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    private readonly db: Kysely<any>,
    /** Which limit this is ('chat', 'mcp', 'query'): keys of different limits never meet. */
    readonly bucket: string,
    readonly limit: number,
    readonly windowSeconds = 60,
  ) {}

  /** Counts a call; returns the seconds to wait when the key is over its limit, else 0. */
  async take(key: string): Promise<number> {
    const { rows } = await sql<{ allowed: boolean; wait: number }>`
      INSERT INTO rate_limit AS r (bucket, key, hits, allowed)
      VALUES (${this.bucket}, ${key}, ARRAY[clock_timestamp()], ${this.limit > 0})
      ON CONFLICT (bucket, key) DO UPDATE SET
        allowed = (SELECT count(*) < ${this.limit} FROM unnest(r.hits) AS h WHERE h > clock_timestamp() - make_interval(secs => ${this.windowSeconds})),
        hits = (
          SELECT CASE WHEN count(*) < ${this.limit} THEN coalesce(array_agg(h ORDER BY h), '{}') || clock_timestamp() ELSE array_agg(h ORDER BY h) END
            FROM unnest(r.hits) AS h WHERE h > clock_timestamp() - make_interval(secs => ${this.windowSeconds}))
      RETURNING allowed,
        greatest(1, ceil(extract(epoch FROM hits[1] + make_interval(secs => ${this.windowSeconds}) - clock_timestamp())))::int AS wait`.execute(this.db);
    const row = rows[0];
    return !row || row.allowed ? 0 : row.wait;
  }
}
