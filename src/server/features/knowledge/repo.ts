import type { Kysely, Selectable, Transaction } from 'kysely';
import type { EntryKind, EntrySource, VersionChange } from '../../../shared/knowledge';
import type { Database, KnowledgeEntryTable } from '../../platform/db/schema';
import { isUuid } from '../tenants/repo';

/** Persistence of knowledge entries: every write goes through writeEntry, which keeps the version it makes. */

type Db = Kysely<Database> | Transaction<Database>;

export type EntryRow = Omit<Selectable<KnowledgeEntryTable>, never> & { updated_by_name: string | null };

const ENTRY_COLUMNS = [
  'e.id',
  'e.tenant_id',
  'e.kind',
  'e.key',
  'e.name',
  'e.description',
  'e.table_name',
  'e.column_name',
  'e.value',
  'e.sql',
  'e.details',
  'e.source',
  'e.version',
  'e.updated_by',
  'e.updated_at',
  'e.deleted_at',
] as const;

export function entries(db: Db) {
  return db.selectFrom('knowledge_entry as e').leftJoin('user as u', 'u.id', 'e.updated_by').select(ENTRY_COLUMNS).select('u.name as updated_by_name');
}

/** A live entry of the tenant, or undefined (another tenant's is as absent as a missing one). */
export async function findEntry(db: Db, tenantId: string, id: string): Promise<EntryRow | undefined> {
  if (!isUuid(id)) return undefined;
  return entries(db).where('e.tenant_id', '=', tenantId).where('e.id', '=', id).where('e.deleted_at', 'is', null).executeTakeFirst();
}

/** The entry with this key, deleted or not. */
export async function entryByKey(db: Db, tenantId: string, kind: EntryKind, key: string): Promise<EntryRow | undefined> {
  return entries(db).where('e.tenant_id', '=', tenantId).where('e.kind', '=', kind).where('e.key', '=', key).executeTakeFirst();
}

export async function liveEntries(db: Db, tenantId: string, kinds?: readonly EntryKind[]): Promise<EntryRow[]> {
  let query = entries(db).where('e.tenant_id', '=', tenantId).where('e.deleted_at', 'is', null);
  if (kinds) query = query.where('e.kind', 'in', [...kinds]);
  return query.orderBy('e.kind').orderBy('e.key').execute();
}

export interface EntryValues {
  kind: EntryKind;
  key: string;
  name: string;
  description: string;
  table_name: string | null;
  column_name: string | null;
  value: string | null;
  sql: string | null;
  details: Record<string, unknown>;
  source: EntrySource;
}

export interface ChangeAuthor {
  /** Null: Scout (a proposal). */
  userId: string | null;
  approvedBy?: string;
  suggestionId?: string;
}

export function snapshotOf(values: EntryValues): Record<string, unknown> {
  return {
    kind: values.kind,
    key: values.key,
    name: values.name,
    description: values.description,
    table: values.table_name,
    column: values.column_name,
    value: values.value,
    sql: values.sql,
    details: values.details,
    source: values.source,
  };
}

export function valuesOf(row: EntryRow): EntryValues {
  return {
    kind: row.kind,
    key: row.key,
    name: row.name,
    description: row.description,
    table_name: row.table_name,
    column_name: row.column_name,
    value: row.value,
    sql: row.sql,
    details: row.details,
    source: row.source,
  };
}

/**
 * Creates, changes or deletes an entry and records the version it becomes,
 * in the caller's transaction. `existing` (the row with the same key, live
 * or deleted) is revived rather than duplicated. Returns the entry's id.
 */
export async function writeEntry(
  trx: Transaction<Database>,
  tenantId: string,
  existing: EntryRow | undefined,
  values: EntryValues,
  change: VersionChange,
  author: ChangeAuthor,
): Promise<string> {
  const now = new Date();
  let id: string;
  let version: number;
  if (existing) {
    version = existing.version + 1;
    id = existing.id;
    await trx
      .updateTable('knowledge_entry')
      .set({
        name: values.name,
        description: values.description,
        table_name: values.table_name,
        column_name: values.column_name,
        value: values.value,
        sql: values.sql,
        details: JSON.stringify(values.details),
        source: values.source,
        version,
        updated_by: author.userId,
        updated_at: now,
        deleted_at: change === 'deleted' ? now : null,
      })
      .where('id', '=', existing.id)
      .execute();
  } else {
    version = 1;
    const inserted = await trx
      .insertInto('knowledge_entry')
      .values({ tenant_id: tenantId, ...values, details: JSON.stringify(values.details), version, updated_by: author.userId, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    id = inserted.id;
  }
  await trx
    .insertInto('knowledge_version')
    .values({
      entry_id: id,
      tenant_id: tenantId,
      version,
      change,
      snapshot: JSON.stringify(snapshotOf(values)),
      changed_by: author.userId,
      approved_by: author.approvedBy ?? null,
      suggestion_id: author.suggestionId ?? null,
    })
    .execute();
  return id;
}

export function versions(db: Db, tenantId: string) {
  return db
    .selectFrom('knowledge_version as v')
    .leftJoin('user as c', 'c.id', 'v.changed_by')
    .leftJoin('user as a', 'a.id', 'v.approved_by')
    .select(['v.id', 'v.entry_id', 'v.version', 'v.change', 'v.snapshot', 'v.changed_by', 'v.approved_by', 'v.changed_at', 'c.name as changed_by_name', 'a.name as approved_by_name'])
    .where('v.tenant_id', '=', tenantId);
}

export type VersionRow = Awaited<ReturnType<ReturnType<typeof versions>['executeTakeFirstOrThrow']>>;
