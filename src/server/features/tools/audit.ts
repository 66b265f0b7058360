import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database, ToolCallTable } from '../../platform/db/schema';
import type { Logger } from '../../platform/logger';

/**
 * Writes tool-call audit records off the request path: a call answers as soon
 * as its result is ready, and the record follows a moment later. Records are
 * written in order, `flush()` waits for those still in flight (the audit log
 * API calls it before reading), and each commits without waiting for its WAL
 * flush — a crash in the next few milliseconds could lose the latest records,
 * never corrupt them.
 */
export class AuditWriter {
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly logger: Logger,
  ) {}

  record(values: Insertable<ToolCallTable>): void {
    this.pending = this.pending.then(() =>
      this.db
        .transaction()
        .execute(async (trx) => {
          await sql`SET LOCAL synchronous_commit = off`.execute(trx);
          await trx.insertInto('tool_call').values(values).execute();
        })
        .catch((error: Error) => this.logger.error({ err: { message: error.message }, tool: values.tool }, 'could not write the tool audit record')),
    );
  }

  flush(): Promise<void> {
    return this.pending;
  }
}
