import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { DecryptionError, KeyRing } from './keyring';
import { openSecret, registeredColumn, sealSecret } from './encrypted-columns';

const KEY_CHECK_COLUMN = registeredColumn('encryption_key_check', 'ciphertext');
const KEY_CHECK_PLAINTEXT = 'scout-key-check';

export class KeyRingMismatchError extends Error {
  override name = 'KeyRingMismatchError';
}

/**
 * Proves at start-up that the configured keys can read what is stored.
 * Without this, losing a key surfaces much later as every CommCare
 * credential failing at once.
 */
export async function verifyKeyRing(db: Kysely<Database>, keyRing: KeyRing): Promise<void> {
  const row = await db.selectFrom('encryption_key_check').select(['id', 'ciphertext']).orderBy('id').limit(1).executeTakeFirst();
  if (!row) {
    await db.transaction().execute(async (trx) => {
      const inserted = await trx.insertInto('encryption_key_check').values({ ciphertext: 'pending' }).returning('id').executeTakeFirstOrThrow();
      await trx
        .updateTable('encryption_key_check')
        .set({ ciphertext: sealSecret(keyRing, KEY_CHECK_COLUMN, inserted.id, KEY_CHECK_PLAINTEXT) })
        .where('id', '=', inserted.id)
        .execute();
    });
    return;
  }
  try {
    if (openSecret(keyRing, KEY_CHECK_COLUMN, row.id, row.ciphertext) === KEY_CHECK_PLAINTEXT) return;
  } catch (error) {
    if (!(error instanceof DecryptionError)) throw error;
  }
  const keyId = KeyRing.keyIdOf(row.ciphertext) ?? 'unknown';
  throw new KeyRingMismatchError(
    `SCOUT_ENCRYPTION_KEYS cannot decrypt this installation's secrets (they use key "${keyId}"; configured: ${keyRing.keyIds.join(', ')}). Put the old key back after the new one, start Scout, then run "scout keys rotate".`,
  );
}
