import type pg from 'pg';

const SET_CONFIG = 'pg_catalog.set_config(text, text, boolean)';

/**
 * Optional, once per managed database: takes EXECUTE on set_config() away from
 * PUBLIC (the tenant roles) and keeps it for the app user.
 *
 * Why: the app user is a member of every tenant's read-only role, so inside a
 * query `set_config('role', 'none', true)` switches back to the app user for
 * the rest of that statement (PostgreSQL lets a session always return to its
 * session user). The parser layer refuses set_config; without this, the
 * database layer alone notices the switch only when the query succeeds (its
 * rows are then discarded), not when the query makes itself fail with the data
 * in the error message. With it, PostgreSQL refuses the call outright.
 *
 * Needs a superuser (the embedded default) or the function's owner; otherwise
 * PostgreSQL only warns, and the result says `hardened: false`.
 */
export async function hardenManagedDatabase(pool: pg.Pool): Promise<{ hardened: boolean }> {
  await pool.query(`REVOKE EXECUTE ON FUNCTION ${SET_CONFIG} FROM PUBLIC`);
  await pool.query(`GRANT EXECUTE ON FUNCTION ${SET_CONFIG} TO CURRENT_USER`);
  const { rows } = await pool.query<{ hardened: boolean }>(
    `SELECT NOT EXISTS (
       SELECT 1 FROM pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) acl
        WHERE p.oid = '${SET_CONFIG}'::regprocedure AND acl.grantee = 0 AND acl.privilege_type = 'EXECUTE'
     ) AS hardened`,
  );
  return { hardened: rows[0]?.hardened === true };
}
