import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { ident } from '../../platform/db/sql';

/**
 * One COPY … FROM STDIN per table for a whole load: pages are written as
 * they arrive and the stream's backpressure paces the producer, so memory
 * stays at about one page whatever the table's size.
 */
export class CopyWriter {
  private readonly stream: ReturnType<typeof copyFrom>;
  private readonly done: Promise<unknown>;
  rows = 0;

  constructor(client: pg.PoolClient, schema: string, table: string, columns: readonly string[]) {
    this.stream = client.query(copyFrom(`COPY ${ident(schema)}.${ident(table)} (${columns.map(ident).join(', ')}) FROM STDIN`));
    this.done = once(this.stream, 'finish');
    // Surface COPY errors at the next write or at finish, not as an unhandled event.
    this.done.catch(() => undefined);
  }

  /** `text` holds `rows` complete lines in COPY's text format. */
  async write(text: string, rows: number): Promise<void> {
    if (rows === 0) return;
    this.rows += rows;
    if (!this.stream.write(text)) await Promise.race([once(this.stream, 'drain'), this.done]);
  }

  async finish(): Promise<void> {
    this.stream.end();
    await this.done;
  }

  /** Abandons the COPY; the surrounding transaction must be rolled back. */
  abort(error: Error): void {
    this.stream.destroy(error);
  }
}
