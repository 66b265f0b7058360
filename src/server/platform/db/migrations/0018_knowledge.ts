import { sql, type Kysely } from 'kysely';

/**
 * A domain's knowledge (features/knowledge): its semantic layer, glossary and
 * descriptions as entries with every version kept, analysts' suggestions,
 * verified queries and learnings. Retrieval is PostgreSQL full-text search
 * over stored tsvector columns.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('knowledge_entry')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (col) => col.notNull().references('tenant.id').onDelete('cascade'))
    .addColumn('kind', 'text', (col) =>
      col.notNull().check(sql`kind IN ('entity', 'relationship', 'measure', 'dimension', 'glossary', 'table', 'column', 'value')`),
    )
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('table_name', 'text')
    .addColumn('column_name', 'text')
    .addColumn('value', 'text')
    .addColumn('sql', 'text')
    .addColumn('details', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('source', 'text', (col) => col.notNull().check(sql`source IN ('proposed', 'person')`))
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('updated_by', 'text', (col) => col.references('user.id').onDelete('set null'))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    // Deleted entries stay (their history does too), and a later create of the same key revives them.
    .addColumn('deleted_at', 'timestamptz')
    .addColumn('search', sql`tsvector`, (col) =>
      col.generatedAlwaysAs(
        sql`to_tsvector('english', name || ' ' || description || ' ' || coalesce(table_name, '') || ' ' || coalesce(column_name, '') || ' ' || coalesce(value, '') || ' ' || coalesce(details->>'synonyms', ''))`,
      ).stored(),
    )
    .execute();
  // One entry per thing: a term, a measure, a column's description. The database keeps it so, race-free.
  await sql`CREATE UNIQUE INDEX knowledge_entry_key ON knowledge_entry (tenant_id, kind, key)`.execute(db);
  await sql`CREATE INDEX knowledge_entry_search ON knowledge_entry USING gin (search)`.execute(db);

  await db.schema
    .createTable('knowledge_suggestion')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (col) => col.notNull().references('tenant.id').onDelete('cascade'))
    .addColumn('change', 'jsonb', (col) => col.notNull())
    .addColumn('note', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('pending').check(sql`status IN ('pending', 'accepted', 'rejected')`))
    .addColumn('suggested_by', 'text', (col) => col.references('user.id').onDelete('set null'))
    .addColumn('suggested_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('reviewed_by', 'text', (col) => col.references('user.id').onDelete('set null'))
    .addColumn('reviewed_at', 'timestamptz')
    .addColumn('review_note', 'text')
    .addColumn('entry_id', 'uuid', (col) => col.references('knowledge_entry.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('knowledge_suggestion_tenant').on('knowledge_suggestion').columns(['tenant_id', 'status', 'suggested_at desc']).execute();

  await db.schema
    .createTable('knowledge_version')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('entry_id', 'uuid', (col) => col.notNull().references('knowledge_entry.id').onDelete('cascade'))
    .addColumn('tenant_id', 'uuid', (col) => col.notNull().references('tenant.id').onDelete('cascade'))
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('change', 'text', (col) => col.notNull().check(sql`change IN ('created', 'updated', 'deleted')`))
    .addColumn('snapshot', 'jsonb', (col) => col.notNull())
    // Null: Scout proposed it.
    .addColumn('changed_by', 'text', (col) => col.references('user.id').onDelete('set null'))
    .addColumn('approved_by', 'text', (col) => col.references('user.id').onDelete('set null'))
    .addColumn('suggestion_id', 'uuid', (col) => col.references('knowledge_suggestion.id').onDelete('set null'))
    .addColumn('changed_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('knowledge_version_entry_version', ['entry_id', 'version'])
    .execute();
  await db.schema.createIndex('knowledge_version_tenant').on('knowledge_version').columns(['tenant_id', 'changed_at desc']).execute();

  await db.schema
    .createTable('verified_query')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (col) => col.notNull().references('tenant.id').onDelete('cascade'))
    .addColumn('question', 'text', (col) => col.notNull())
    .addColumn('sql', 'text', (col) => col.notNull())
    .addColumn('answer_summary', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('verified_by', 'text', (col) => col.references('user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('search', sql`tsvector`, (col) => col.generatedAlwaysAs(sql`to_tsvector('english', question || ' ' || answer_summary)`).stored())
    .execute();
  await sql`CREATE INDEX verified_query_search ON verified_query USING gin (search)`.execute(db);
  await db.schema.createIndex('verified_query_tenant').on('verified_query').columns(['tenant_id', 'created_at desc']).execute();

  await db.schema
    .createTable('knowledge_learning')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (col) => col.notNull().references('tenant.id').onDelete('cascade'))
    .addColumn('question', 'text', (col) => col.notNull())
    .addColumn('original_sql', 'text', (col) => col.notNull())
    .addColumn('corrected_sql', 'text')
    .addColumn('correct_answer', 'text')
    .addColumn('note', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('pending').check(sql`status IN ('pending', 'accepted', 'rejected')`))
    .addColumn('submitted_by', 'text', (col) => col.references('user.id').onDelete('set null'))
    .addColumn('submitted_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('reviewed_by', 'text', (col) => col.references('user.id').onDelete('set null'))
    .addColumn('reviewed_at', 'timestamptz')
    .addColumn('review_note', 'text')
    .addColumn('search', sql`tsvector`, (col) =>
      col.generatedAlwaysAs(sql`to_tsvector('english', question || ' ' || note || ' ' || coalesce(correct_answer, ''))`).stored(),
    )
    .execute();
  await sql`CREATE INDEX knowledge_learning_search ON knowledge_learning USING gin (search) WHERE status = 'accepted'`.execute(db);
  await db.schema.createIndex('knowledge_learning_tenant').on('knowledge_learning').columns(['tenant_id', 'status', 'submitted_at desc']).execute();

  // When Scout last proposed the layer, and from which sync: the next read after a newer sync proposes again.
  await db.schema
    .createTable('knowledge_proposal')
    .addColumn('tenant_id', 'uuid', (col) => col.primaryKey().references('tenant.id').onDelete('cascade'))
    .addColumn('proposed_for_sync_at', 'timestamptz')
    .addColumn('proposed_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('knowledge_proposal').execute();
  await db.schema.dropTable('knowledge_learning').execute();
  await db.schema.dropTable('verified_query').execute();
  await db.schema.dropTable('knowledge_version').execute();
  await db.schema.dropTable('knowledge_suggestion').execute();
  await db.schema.dropTable('knowledge_entry').execute();
}
