import { sql, type Kysely } from 'kysely';

/**
 * Saved questions and dashboards (a domain's, visible to its members), their
 * schedules and stored runs, and dashboards' share links.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('question')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (col) => col.notNull().references('tenant.id').onDelete('cascade'))
    // The author leaving Scout leaves the domain its questions.
    .addColumn('author_user_id', 'text', (col) => col.references('user.id').onDelete('set null'))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('sql', 'text', (col) => col.notNull())
    .addColumn('parameters', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('chart', 'jsonb')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('question_tenant').on('question').columns(['tenant_id', 'updated_at desc']).execute();

  await db.schema
    .createTable('dashboard')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (col) => col.notNull().references('tenant.id').onDelete('cascade'))
    .addColumn('author_user_id', 'text', (col) => col.references('user.id').onDelete('set null'))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('tiles', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('filters', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('dashboard_tenant').on('dashboard').columns(['tenant_id', 'updated_at desc']).execute();

  await db.schema
    .createTable('dashboard_share')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('dashboard_id', 'uuid', (col) => col.notNull().references('dashboard.id').onDelete('cascade'))
    // Only a hash: the token itself is shown once and a leaked table opens nothing.
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('created_by', 'text', (col) => col.references('user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await sql`CREATE UNIQUE INDEX dashboard_share_live ON dashboard_share (dashboard_id) WHERE revoked_at IS NULL`.execute(db);

  await db.schema
    .createTable('schedule')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (col) => col.notNull().references('tenant.id').onDelete('cascade'))
    .addColumn('target', 'text', (col) => col.notNull().check(sql`target IN ('question', 'dashboard', 'warehouse')`))
    .addColumn('question_id', 'uuid', (col) => col.references('question.id').onDelete('cascade'))
    .addColumn('dashboard_id', 'uuid', (col) => col.references('dashboard.id').onDelete('cascade'))
    // Runs read the data as this member may see it (their role and their CommCare access, checked at each run).
    .addColumn('membership_id', 'uuid', (col) => col.notNull().references('tenant_membership.id').onDelete('cascade'))
    .addColumn('every', 'text', (col) => col.check(sql`every IN ('hour', 'day', 'week')`))
    .addColumn('at', 'text')
    .addColumn('day', 'text')
    .addColumn('cron', 'text')
    .addColumn('timezone', 'text', (col) => col.notNull())
    // Also run after each completed sync of the domain, so results follow fresh data.
    .addColumn('after_sync', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('state', 'text', (col) => col.notNull().defaultTo('active').check(sql`state IN ('active', 'failing', 'paused')`))
    .addColumn('reason', 'text')
    // Paused by Scout, not by a person: a cleared warehouse resumes on its next sync.
    .addColumn('paused_for', 'text', (col) => col.check(sql`paused_for IN ('teardown', 'member_gone')`))
    .addColumn('next_run_at', 'timestamptz')
    .addColumn('last_run_at', 'timestamptz')
    .addColumn('last_status', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'schedule_target_ref',
      sql`(target = 'question') = (question_id IS NOT NULL) AND (target = 'dashboard') = (dashboard_id IS NOT NULL)`,
    )
    .execute();
  await sql`CREATE UNIQUE INDEX schedule_question ON schedule (question_id) WHERE question_id IS NOT NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX schedule_dashboard ON schedule (dashboard_id) WHERE dashboard_id IS NOT NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX schedule_warehouse ON schedule (tenant_id) WHERE target = 'warehouse'`.execute(db);
  await sql`CREATE INDEX schedule_due ON schedule (next_run_at) WHERE state <> 'paused'`.execute(db);

  await db.schema
    .createTable('scheduled_run')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (col) => col.notNull().references('tenant.id').onDelete('cascade'))
    .addColumn('schedule_id', 'uuid', (col) => col.references('schedule.id').onDelete('set null'))
    .addColumn('question_id', 'uuid', (col) => col.references('question.id').onDelete('cascade'))
    .addColumn('dashboard_id', 'uuid', (col) => col.references('dashboard.id').onDelete('cascade'))
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status IN ('completed', 'failed', 'partial')`))
    // Whether the member it ran as sees only some locations: such a result is shown to them alone.
    .addColumn('restricted_to', 'uuid', (col) => col.references('tenant_membership.id').onDelete('cascade'))
    .addColumn('result', 'jsonb')
    .addColumn('error', 'text')
    .addColumn('started_at', 'timestamptz', (col) => col.notNull())
    .addColumn('finished_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('scheduled_run_question').on('scheduled_run').columns(['question_id', 'finished_at desc']).execute();
  await db.schema.createIndex('scheduled_run_dashboard').on('scheduled_run').columns(['dashboard_id', 'finished_at desc']).execute();
  await db.schema.createIndex('scheduled_run_schedule').on('scheduled_run').columns(['schedule_id', 'finished_at desc']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('scheduled_run').execute();
  await db.schema.dropTable('schedule').execute();
  await db.schema.dropTable('dashboard_share').execute();
  await db.schema.dropTable('dashboard').execute();
  await db.schema.dropTable('question').execute();
}
