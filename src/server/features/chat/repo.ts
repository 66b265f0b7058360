import type { UIMessage } from 'ai';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { ChatThreadTable, Database } from '../../platform/db/schema';

export type ThreadRow = Selectable<ChatThreadTable>;

/** Threads and their messages; every read is scoped to the owning user and tenant. */
export class ChatRepo {
  constructor(private readonly db: Kysely<Database>) {}

  list(userId: string, tenantId: string, limit = 100): Promise<ThreadRow[]> {
    return this.db
      .selectFrom('chat_thread')
      .selectAll()
      .where('user_id', '=', userId)
      .where('tenant_id', '=', tenantId)
      .orderBy('updated_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /** Any thread with this id, whoever owns it: callers compare owners to answer 404 without leaking. */
  find(threadId: string): Promise<ThreadRow | undefined> {
    return this.db.selectFrom('chat_thread').selectAll().where('id', '=', threadId).executeTakeFirst();
  }

  /** Creates the thread if it doesn't exist; returns the row either way (possibly someone else's). */
  async ensure(thread: { id: string; userId: string; tenantId: string; title: string }): Promise<ThreadRow> {
    await this.db
      .insertInto('chat_thread')
      .values({ id: thread.id, user_id: thread.userId, tenant_id: thread.tenantId, title: thread.title })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    return (await this.find(thread.id))!;
  }

  async messages(threadId: string): Promise<UIMessage[]> {
    const rows = await this.db.selectFrom('chat_message').select(['id', 'role', 'parts', 'metadata']).where('thread_id', '=', threadId).orderBy('position').execute();
    return rows.map((row) => ({ id: row.id, role: row.role, parts: row.parts as UIMessage['parts'], ...(row.metadata ? { metadata: row.metadata } : {}) }));
  }

  /**
   * Stores a message at the end of the thread, or replaces it (same id) and
   * drops everything after it: a regenerated answer or a re-asked question.
   */
  async put(threadId: string, message: UIMessage): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      // Serialises writers of one thread, so positions never collide.
      await trx.selectFrom('chat_thread').select('id').where('id', '=', threadId).forUpdate().executeTakeFirst();
      const existing = await trx.selectFrom('chat_message').select('position').where('thread_id', '=', threadId).where('id', '=', message.id).executeTakeFirst();
      let position: number;
      if (existing) {
        position = existing.position;
        await trx.deleteFrom('chat_message').where('thread_id', '=', threadId).where('position', '>=', position).execute();
      } else {
        const last = await trx.selectFrom('chat_message').select(sql<number>`coalesce(max(position), -1)`.as('max')).where('thread_id', '=', threadId).executeTakeFirstOrThrow();
        position = Number(last.max) + 1;
      }
      await trx
        .insertInto('chat_message')
        .values({
          thread_id: threadId,
          id: message.id,
          position,
          role: message.role as 'user' | 'assistant',
          parts: JSON.stringify(message.parts),
          metadata: message.metadata ? JSON.stringify(message.metadata) : null,
        })
        .execute();
      await trx.updateTable('chat_thread').set({ updated_at: new Date() }).where('id', '=', threadId).execute();
    });
  }

  /** Drops the messages after `messageId` (regenerating the answer to it). */
  async truncateAfter(threadId: string, messageId: string): Promise<void> {
    const anchor = await this.db.selectFrom('chat_message').select('position').where('thread_id', '=', threadId).where('id', '=', messageId).executeTakeFirst();
    if (anchor) await this.db.deleteFrom('chat_message').where('thread_id', '=', threadId).where('position', '>', anchor.position).execute();
  }

  async rename(threadId: string, title: string): Promise<ThreadRow> {
    return this.db.updateTable('chat_thread').set({ title, updated_at: new Date() }).where('id', '=', threadId).returningAll().executeTakeFirstOrThrow();
  }

  async delete(threadId: string): Promise<void> {
    await this.db.deleteFrom('chat_thread').where('id', '=', threadId).execute();
  }
}
