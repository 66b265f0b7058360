import { Transform, type TransformCallback } from 'node:stream';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { CURSOR, DECLARE, openReader, TYPES, type Reader, type ReaderSession } from './execute';
import { QueryRejected } from './errors';
import { analyzeQuery, copyStatement } from './parse';
import type { SlotRequest } from './slots';

/**
 * Whole results of one checked query, for exports: the same parser, role,
 * scope, slots and read-only transaction as the query tool, with caps of
 * their own. CSV comes from PostgreSQL's COPY as it is written (constant
 * memory); other formats read the cursor in batches.
 */
export interface StreamLimits {
  maxRows: number;
  maxBytes: number;
  timeoutMs: number;
}

export interface StreamOptions extends StreamLimits {
  reader: Reader;
  slots?: SlotRequest;
}

export interface StreamOutcome {
  rows: number;
  bytes: number;
  /** Which cap stopped it, or false when every row was written. */
  truncated: 'rows' | 'bytes' | false;
}

export interface CsvOut {
  stream: Transform;
  /** Rows written so far. */
  rows(): number;
  /** Settles when the last byte was written, or with the engine's error. */
  outcome: Promise<StreamOutcome>;
  /** Stops the statement and drops the connection (the client went away). */
  abort(): void;
}

const QUOTE = 0x22;
const NEWLINE = 0x0a;
const ROLE_CHANGED = "the query tried to change the session's role, scope or search path; the export was stopped";

/**
 * Passes CSV through until a cap, whole records only, counting them as COPY
 * writes them: a newline ends a record unless it is inside quotes (COPY
 * doubles a quote inside a quoted field, which toggles twice). The header is
 * not a row; its bytes count.
 */
export class CsvRecordLimiter extends Transform {
  rows = 0;
  bytes = 0;
  truncated: StreamOutcome['truncated'] = false;
  private quoted = false;
  private header = true;
  /** The unfinished record's pieces, held until its newline arrives. */
  private tail: Buffer[] = [];
  private tailBytes = 0;

  constructor(private readonly limits: Pick<StreamLimits, 'maxRows' | 'maxBytes'>) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.truncated) return done();
    let start = 0;
    let position = 0;
    // Each search runs forward once over the chunk: the next quote is remembered until the scan passes it.
    let quote = chunk.indexOf(QUOTE);
    while (position < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, position);
      const end = newline === -1 ? chunk.length : newline;
      while (quote !== -1 && quote < end) {
        this.quoted = !this.quoted;
        quote = chunk.indexOf(QUOTE, quote + 1);
      }
      if (newline === -1) break;
      position = newline + 1;
      if (this.quoted) continue;
      if (!this.accept(this.tailBytes + position - start)) break;
      if (this.tail.length > 0) {
        for (const piece of this.tail) this.push(piece);
        this.tail = [];
        this.tailBytes = 0;
      }
      start = position;
    }
    // Accepted records are one run from the chunk's start: passed on in one piece.
    if (start > 0) this.push(chunk.subarray(0, start));
    if (this.truncated) {
      this.push(null);
      return done();
    }
    if (start < chunk.length) {
      this.tail.push(start === 0 ? chunk : chunk.subarray(start));
      this.tailBytes += chunk.length - start;
      // One record bigger than the whole cap would otherwise be held in memory to its end.
      if (this.tailBytes > this.limits.maxBytes) {
        this.truncated = 'bytes';
        this.push(null);
      }
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    // COPY ends every record with a newline; anything else is passed on as it came.
    if (!this.truncated && this.tailBytes > 0 && this.accept(this.tailBytes)) for (const piece of this.tail) this.push(piece);
    done();
  }

  /** Whether a finished record of `size` bytes fits the caps; counts it when it does. */
  private accept(size: number): boolean {
    if (this.header) {
      this.header = false;
    } else if (this.rows >= this.limits.maxRows) {
      this.truncated = 'rows';
      return false;
    } else if (this.bytes + size > this.limits.maxBytes) {
      this.truncated = 'bytes';
      return false;
    } else {
      this.rows++;
    }
    this.bytes += size;
    return true;
  }
}

/**
 * CSV of a checked query's whole result (header first), capped at
 * `maxRows` rows and `maxBytes`. Throws before the first byte for what the
 * query tool would refuse (QueryRejected, QueryFailed, QueryBusy).
 */
export async function csvOut(pool: pg.Pool, sql: string, options: StreamOptions): Promise<CsvOut> {
  await analyzeQuery(sql, options.reader.schema);
  const statement = await copyStatement(sql, options.maxRows + 1);
  const session = await openReader(pool, options.reader, options, options.slots);
  const limiter = new CsvRecordLimiter(options);
  const copy = session.client.query(copyTo(statement));
  const stop = () => {
    // COPY can't be stopped mid-stream on a connection that stays usable: drop it, the server ends the statement.
    session.discard();
    session.client.connection.stream.destroy();
  };
  const outcome = new Promise<StreamOutcome>((resolve, reject) => {
    let settled = false;
    const fail = async (error: unknown) => {
      if (settled) return;
      settled = true;
      const mapped = await session.toQueryError(error, { offset: 0, timeoutMs: options.timeoutMs, relations: [] }).catch((e: unknown) => e);
      await session.release();
      limiter.destroy(mapped as Error);
      reject(mapped);
    };
    copy.on('error', (error) => void fail(error));
    limiter.on('error', (error) => void fail(error));
    limiter.on('end', () => {
      if (settled) return;
      settled = true;
      void (async () => {
        if (limiter.truncated) stop();
        else if (!(await session.finish().catch(() => false))) {
          await session.release();
          return reject(new QueryRejected(ROLE_CHANGED));
        }
        await session.release();
        resolve({ rows: limiter.rows, bytes: limiter.bytes, truncated: limiter.truncated });
      })();
    });
  });
  // Every caller reads the outcome; an unobserved failure must not crash the process meanwhile.
  outcome.catch(() => undefined);
  copy.pipe(limiter);
  return { stream: limiter, outcome, rows: () => limiter.rows, abort: stop };
}

export interface RowBatches {
  columns: Array<{ name: string; typeId: number }>;
  /** Batches of rows as PostgreSQL's text (numbers and booleans parsed, as the query tool does). */
  batches: AsyncGenerator<unknown[][], StreamOutcome>;
  abort(): void;
}

const BATCH_ROWS = 2_000;

/** The whole result in batches through a cursor, for writers that need values rather than CSV text. */
export async function rowBatches(pool: pg.Pool, sql: string, options: StreamOptions): Promise<RowBatches> {
  await analyzeQuery(sql, options.reader.schema);
  if (sql.includes('\0')) throw new QueryRejected('the query contains a NUL character');
  const session = await openReader(pool, options.reader, options, options.slots);
  const fail = async (error: unknown) => session.toQueryError(error, { offset: DECLARE.length, timeoutMs: options.timeoutMs, relations: [] });
  let first: pg.QueryArrayResult;
  try {
    await session.client.query({ text: DECLARE + sql, queryMode: 'extended' } as pg.QueryConfig);
    first = await fetch(session);
  } catch (error) {
    const mapped = await fail(error);
    await session.release();
    throw mapped;
  }
  return {
    columns: first.fields.map((field) => ({ name: field.name, typeId: field.dataTypeID })),
    batches: batchesFrom(session, first, options, fail),
    abort: () => {
      session.discard();
      session.client.connection.stream.destroy();
    },
  };
}

function fetch(session: ReaderSession): Promise<pg.QueryArrayResult> {
  return session.client.query({ text: `FETCH FORWARD ${BATCH_ROWS} FROM ${CURSOR}`, rowMode: 'array', types: TYPES } as pg.QueryConfig) as unknown as Promise<pg.QueryArrayResult>;
}

async function* batchesFrom(session: ReaderSession, first: pg.QueryArrayResult, limits: StreamLimits, fail: (error: unknown) => Promise<unknown>): AsyncGenerator<unknown[][], StreamOutcome> {
  let rows = 0;
  let bytes = 0;
  let truncated: StreamOutcome['truncated'] = false;
  try {
    let batch: pg.QueryArrayResult | undefined = first;
    while (batch && batch.rows.length > 0) {
      let keep = batch.rows as unknown[][];
      if (rows + keep.length > limits.maxRows) {
        keep = keep.slice(0, limits.maxRows - rows);
        truncated = 'rows';
      }
      // A row's size is its JSON length, as for the query tool.
      for (const row of keep) bytes += JSON.stringify(row).length;
      if (bytes > limits.maxBytes) truncated = 'bytes';
      rows += keep.length;
      if (keep.length > 0) yield keep;
      if (truncated) break;
      batch = batch.rows.length < BATCH_ROWS ? undefined : await fetch(session);
    }
    if (!truncated && !(await session.finish())) throw new QueryRejected(ROLE_CHANGED);
    return { rows, bytes, truncated };
  } catch (error) {
    throw await fail(error);
  } finally {
    await session.release();
  }
}
