import type { ColumnType, Generated } from 'kysely';

/** Scout's own tables (better-auth's are typed by better-auth). */
export interface Database {
  encryption_key_check: EncryptionKeyCheckTable;
}

/**
 * One row encrypted with the key ring at first start. If it no longer
 * decrypts, the configured keys lost the key that protects stored secrets,
 * and Scout refuses to start rather than fail on every secret later.
 */
export interface EncryptionKeyCheckTable {
  id: Generated<number>;
  ciphertext: string;
  created_at: ColumnType<Date, never, never>;
}
