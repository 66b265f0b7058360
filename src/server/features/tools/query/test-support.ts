import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/database';
import { SchemaManager } from '../../warehouse/schema-manager';

/**
 * A fresh database with two provisioned tenant schemas (each a `cases` table
 * and an `open_cases` view) and the app tables an attacker would want: a
 * "user" table and tenant_credential in public. `pool` is what the engine
 * gets: one connection, so that checking "the pooled connection is clean"
 * checks the very connection the query ran on.
 */
export interface QueryFixture {
  pool: pg.Pool;
  admin: pg.Pool;
  /** The tenant under test and its neighbour. */
  schema: string;
  other: string;
  /** Strings that must never come back from a query of `schema`. */
  forbidden: string[];
  close(): Promise<void>;
}

export const SECRETS = {
  otherTenantCase: 'BETA-PRIVATE-CASE',
  credential: 'sk-live-CREDENTIAL-SECRET',
  email: 'alice.secret@example.org',
  passwordHash: 'PASSWORD-HASH-SECRET',
};

export async function createQueryFixture(): Promise<QueryFixture> {
  const database: TestDatabase = await createTestDatabase();
  const admin = new pg.Pool({ connectionString: database.url, max: 2 });
  const pool = new pg.Pool({ connectionString: database.url, max: 1 });
  pool.on('error', () => undefined);
  const suffix = randomBytes(4).toString('hex');
  const schema = `q_alpha_${suffix}`;
  const other = `q_beta_${suffix}`;
  const schemas = new SchemaManager(admin);
  await schemas.provision(schema);
  await schemas.provision(other);
  await admin.query(`
    CREATE TABLE "${schema}".cases (
      case_id text PRIMARY KEY, case_type text NOT NULL, name text, owner_id text, closed boolean NOT NULL,
      opened_on timestamptz NOT NULL, visits integer, score numeric(6, 2), properties jsonb NOT NULL DEFAULT '{}');
    INSERT INTO "${schema}".cases VALUES
      ('c1', 'household', 'Amina', 'u1', false, '2024-01-05 09:00+00', 3, 12.50, '{"village": "Kisumu", "members": 5, "tags": ["a", "b"]}'),
      ('c2', 'household', 'Baraka', 'u1', true,  '2024-02-10 14:30+00', 1, 7.25,  '{"village": "Kisumu", "members": 2}'),
      ('c3', 'patient',   'Chiku', 'u2', false, '2024-02-11 08:15+00', 7, 99.00, '{"village": "Nakuru", "members": 1}'),
      ('c4', 'patient',   'Dalila', 'u2', false, '2024-03-01 17:45+00', NULL, NULL, '{"village": "Nakuru"}'),
      ('c5', 'patient',   'Eshe', 'u3', true,  '2024-03-20 11:00+00', 2, 40.00, '{}');
    CREATE VIEW "${schema}".open_cases AS SELECT case_id, case_type, name FROM "${schema}".cases WHERE NOT closed;
    CREATE TABLE "${other}".cases (case_id text PRIMARY KEY, name text);
    INSERT INTO "${other}".cases VALUES ('b1', '${SECRETS.otherTenantCase}');
    CREATE TABLE public."user" (id text PRIMARY KEY, email text NOT NULL, password_hash text NOT NULL);
    INSERT INTO public."user" VALUES ('u1', '${SECRETS.email}', '${SECRETS.passwordHash}');
    CREATE TABLE public.tenant_credential (id text PRIMARY KEY, tenant_id text NOT NULL, secret text NOT NULL);
    INSERT INTO public.tenant_credential VALUES ('k1', 't1', '${SECRETS.credential}');
  `);
  return {
    pool,
    admin,
    schema,
    other,
    forbidden: Object.values(SECRETS),
    async close() {
      await pool.end();
      await schemas.teardown(schema).catch(() => undefined);
      await schemas.teardown(other).catch(() => undefined);
      await admin.end();
      await database.drop();
    },
  };
}

/**
 * Everything a query must not change: the rows of every table that matters,
 * this database's objects, and the cluster-wide roles involved (other test
 * files create and drop roles of their own meanwhile, so only these count).
 */
export async function databaseState(fixture: QueryFixture): Promise<unknown> {
  const { rows } = await fixture.admin.query(`
    SELECT
      (SELECT md5(string_agg(c::text, ',' ORDER BY case_id)) FROM "${fixture.schema}".cases c) AS tenant_cases,
      (SELECT md5(string_agg(c::text, ',' ORDER BY case_id)) FROM "${fixture.other}".cases c) AS other_cases,
      (SELECT md5(string_agg(u::text, ',' ORDER BY id)) FROM public."user" u) AS users,
      (SELECT md5(string_agg(k::text, ',' ORDER BY id)) FROM public.tenant_credential k) AS credentials,
      (SELECT count(*) FROM pg_class) AS relations,
      (SELECT count(*) FROM pg_proc) AS functions,
      (SELECT count(*) FROM pg_namespace) AS schemas,
      (SELECT md5(string_agg(r::text, ',' ORDER BY rolname)) FROM pg_roles r WHERE rolname IN (current_user, $1, $2)) AS roles,
      (SELECT count(*) FROM pg_auth_members WHERE roleid IN (SELECT oid FROM pg_roles WHERE rolname IN ($1, $2))
         OR member IN (SELECT oid FROM pg_roles WHERE rolname IN ($1, $2))) AS memberships,
      (SELECT count(*) FROM pg_largeobject_metadata) AS large_objects,
      (SELECT count(*) FROM pg_extension) AS extensions,
      (SELECT count(*) FROM pg_db_role_setting
        WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
           OR setrole IN (SELECT oid FROM pg_roles WHERE rolname IN (current_user, $1, $2))) AS role_settings,
      (SELECT md5(string_agg(relacl::text, ',' ORDER BY oid)) FROM pg_class WHERE relnamespace = ANY (ARRAY['public', '${fixture.schema}', '${fixture.other}']::regnamespace[])) AS acls
  `,
    [`${fixture.schema}_ro`, `${fixture.other}_ro`],
  );
  return rows[0];
}

/** The state of the engine pool's (only) connection, seen through that pool. */
export async function connectionState(pool: pg.Pool): Promise<Record<string, unknown>> {
  const { rows } = await pool.query(`
    SELECT current_user AS current_user, session_user AS session_user,
           current_setting('search_path') AS search_path,
           current_setting('statement_timeout') AS statement_timeout,
           current_setting('idle_in_transaction_session_timeout') AS idle_timeout,
           current_setting('work_mem') AS work_mem,
           current_setting('temp_file_limit') AS temp_file_limit,
           current_setting('transaction_read_only') AS read_only,
           current_setting('standard_conforming_strings') AS standard_conforming_strings,
           (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) AS advisory_locks,
           (SELECT count(*) FROM pg_prepared_statements) AS prepared_statements,
           (SELECT count(*) FROM pg_cursors) AS cursors,
           (SELECT count(*) FROM pg_listening_channels()) AS listening,
           (SELECT count(*) FROM pg_class WHERE relpersistence = 't') AS temp_tables
  `);
  return rows[0] as Record<string, unknown>;
}
