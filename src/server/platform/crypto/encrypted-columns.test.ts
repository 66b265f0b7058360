import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, migrateTestDatabase, silentLogger as logger, type TestDatabase } from '../../../../test/support/database';
import { openDatabase, type DatabaseHandle } from '../db/database';
import { encryptedColumns, openSecret, rotateSecrets, sealSecret, type EncryptedColumn } from './encrypted-columns';
import { KeyRingMismatchError, verifyKeyRing } from './key-check';
import { KeyRing } from './keyring';

const k1 = `k1:${Buffer.alloc(32, 1).toString('base64')}`;
const k2 = `k2:${Buffer.alloc(32, 2).toString('base64')}`;

// A stand-in for the credential tables later features register.
const credentialColumn: EncryptedColumn = { table: 'test_credential', idColumn: 'id', column: 'secret' };

let database: TestDatabase;
let handle: DatabaseHandle;
let db: Kysely<unknown>;

beforeAll(async () => {
  database = await createTestDatabase();
  handle = openDatabase(database.url, logger);
  db = handle.db as Kysely<unknown>;
  await migrateTestDatabase(handle);
  await sql`CREATE TABLE test_credential (id integer PRIMARY KEY, secret text)`.execute(db);
});
afterAll(async () => {
  await handle?.close();
  await database?.drop();
});
beforeEach(async () => {
  await sql`TRUNCATE test_credential, encryption_key_check`.execute(db);
});

async function secrets(): Promise<Array<{ id: number; secret: string | null }>> {
  const result = await sql<{ id: number; secret: string | null }>`SELECT id, secret FROM test_credential ORDER BY id`.execute(db);
  return result.rows;
}

describe('verifyKeyRing', () => {
  it('stores a check value on first start and accepts the same keys afterwards', async () => {
    const ring = KeyRing.parse(k1);
    await verifyKeyRing(handle.db, ring);
    await verifyKeyRing(handle.db, ring);
    const rows = await handle.db.selectFrom('encryption_key_check').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.ciphertext).toMatch(/^v1\.k1\./);
  });

  it('accepts a ring that gained a new first key, and refuses one that lost the old key', async () => {
    await verifyKeyRing(handle.db, KeyRing.parse(k1));
    await expect(verifyKeyRing(handle.db, KeyRing.parse(`${k2},${k1}`))).resolves.toBeUndefined();
    const refusal = verifyKeyRing(handle.db, KeyRing.parse(k2));
    await expect(refusal).rejects.toThrow(KeyRingMismatchError);
    await expect(verifyKeyRing(handle.db, KeyRing.parse(k2))).rejects.toThrow(/use key "k1"; configured: k2/);
  });
});

describe('rotateSecrets', () => {
  it('re-encrypts every registered secret to the first key, keeping plaintexts and skipping NULLs', async () => {
    const old = KeyRing.parse(k1);
    await verifyKeyRing(handle.db, old);
    for (let id = 1; id <= 1203; id++) {
      await sql`INSERT INTO test_credential (id, secret) VALUES (${id}, ${sealSecret(old, credentialColumn, id, `user${id}:key${id}`)})`.execute(db);
    }
    await sql`INSERT INTO test_credential (id, secret) VALUES (5000, NULL)`.execute(db);

    const rotated = KeyRing.parse(`${k2},${k1}`);
    const progress: number[] = [];
    const report = await rotateSecrets(db, rotated, [...encryptedColumns, credentialColumn], (done) => progress.push(done));
    expect(report.keyId).toBe('k2');
    expect(report.reencrypted).toBe(1204);
    expect(report.columns).toEqual([
      { table: 'encryption_key_check', column: 'ciphertext', reencrypted: 1, alreadyCurrent: 0 },
      { table: 'tenant_credential', column: 'secret', reencrypted: 0, alreadyCurrent: 0 },
      { table: 'connector_secret', column: 'ciphertext', reencrypted: 0, alreadyCurrent: 0 },
      { table: 'connector_oauth_state', column: 'verifier', reencrypted: 0, alreadyCurrent: 0 },
      { table: 'test_credential', column: 'secret', reencrypted: 1203, alreadyCurrent: 0 },
    ]);
    expect(progress.at(-1)).toBe(1203);

    const newOnly = KeyRing.parse(k2);
    const rows = await secrets();
    for (const row of rows.filter((r) => r.secret !== null)) {
      expect(KeyRing.keyIdOf(row.secret!)).toBe('k2');
      expect(openSecret(newOnly, credentialColumn, row.id, row.secret!)).toBe(`user${row.id}:key${row.id}`);
    }
    expect(rows.find((r) => r.id === 5000)?.secret).toBeNull();
    // The old key can now be dropped from the ring.
    await expect(verifyKeyRing(handle.db, newOnly)).resolves.toBeUndefined();
  });

  it('does nothing when everything is already on the first key', async () => {
    const ring = KeyRing.parse(k1);
    await sql`INSERT INTO test_credential (id, secret) VALUES (1, ${sealSecret(ring, credentialColumn, 1, 'a:b')})`.execute(db);
    const before = await secrets();
    const report = await rotateSecrets(db, ring, [credentialColumn]);
    expect(report.reencrypted).toBe(0);
    expect(report.columns[0]).toMatchObject({ reencrypted: 0, alreadyCurrent: 1 });
    expect(await secrets()).toEqual(before);
  });

  it('stops without writing anything when a secret cannot be decrypted', async () => {
    const foreign = KeyRing.parse(`k9:${Buffer.alloc(32, 9).toString('base64')}`);
    await sql`INSERT INTO test_credential (id, secret) VALUES (1, ${sealSecret(foreign, credentialColumn, 1, 'x:y')})`.execute(db);
    const before = await secrets();
    await expect(rotateSecrets(db, KeyRing.parse(`${k2},${k1}`), [credentialColumn])).rejects.toThrow(/key "k9" is not in SCOUT_ENCRYPTION_KEYS/);
    expect(await secrets()).toEqual(before);
  });
});
