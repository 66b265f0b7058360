import { sql, type Kysely, type RawBuilder } from 'kysely';
import { type KeyRing } from './keyring';

/**
 * Every column that holds key-ring ciphertext. A feature that stores a secret
 * adds its column here, writes it with `sealSecret` and reads it with
 * `openSecret`, and `scout keys rotate` then covers it without further work.
 */
export interface EncryptedColumn {
  table: string;
  /** Primary key column; its value is part of the AAD. */
  idColumn: string;
  column: string;
  /**
   * Further columns whose values the ciphertext is bound to (AAD), e.g. the
   * tenant, connector and field of a connector secret: a ciphertext moved to
   * another tenant's row, or another field, fails to decrypt.
   */
  bindColumns?: string[];
}

/** Values of a column's `bindColumns` for one row. */
export type BoundValues = Record<string, string>;

export const encryptedColumns: EncryptedColumn[] = [
  { table: 'encryption_key_check', idColumn: 'id', column: 'ciphertext' },
  { table: 'tenant_credential', idColumn: 'id', column: 'secret' },
  { table: 'connector_secret', idColumn: 'id', column: 'ciphertext', bindColumns: ['tenant_id', 'connector_id', 'field'] },
  { table: 'connector_oauth_state', idColumn: 'id', column: 'verifier', bindColumns: ['user_id', 'connector_id'] },
];

export function registeredColumn(table: string, column: string): EncryptedColumn {
  const found = encryptedColumns.find((c) => c.table === table && c.column === column);
  if (!found) throw new Error(`${table}.${column} is not a registered encrypted column`);
  return found;
}

/** Binds a ciphertext to one cell: copied to another row or column, it fails to decrypt. */
export function secretAad(column: EncryptedColumn, id: string | number, bound: BoundValues = {}): string {
  const base = `${column.table}.${column.column}:${id}`;
  return (column.bindColumns ?? []).reduce((aad, name) => {
    const value = bound[name];
    if (value === undefined) throw new Error(`${column.table}.${column.column} is bound to ${name}, which was not given`);
    return `${aad}|${name}=${value}`;
  }, base);
}

export function sealSecret(keyRing: KeyRing, column: EncryptedColumn, id: string | number, plaintext: string, bound?: BoundValues): string {
  return keyRing.encrypt(plaintext, secretAad(column, id, bound));
}

export function openSecret(keyRing: KeyRing, column: EncryptedColumn, id: string | number, ciphertext: string, bound?: BoundValues): string {
  return keyRing.decrypt(ciphertext, secretAad(column, id, bound));
}

export interface RotationReport {
  keyId: string;
  columns: Array<{ table: string; column: string; reencrypted: number; alreadyCurrent: number }>;
  reencrypted: number;
}

const BATCH = 500;

/**
 * Re-encrypts every registered secret that is not yet under the primary key.
 * Works in batches, each its own transaction, so a large table neither holds
 * one long lock nor loses progress if interrupted; a row changed concurrently
 * is left for the next run rather than overwritten.
 */
export async function rotateSecrets(
  db: Kysely<unknown>,
  keyRing: KeyRing,
  columns: EncryptedColumn[] = encryptedColumns,
  onProgress?: (done: number, column: EncryptedColumn) => void,
): Promise<RotationReport> {
  const report: RotationReport = { keyId: keyRing.primaryKeyId, columns: [], reencrypted: 0 };
  const currentPrefix = `v1.${keyRing.primaryKeyId}.`;
  for (const column of columns) {
    const table = sql.table(column.table);
    const id = sql.ref(column.idColumn);
    const value = sql.ref(column.column);
    const boundNames = column.bindColumns ?? [];
    const bound = boundNames.length > 0 ? sql`, ${sql.join(boundNames.map((name) => sql`${sql.ref(name)}::text AS ${sql.ref(name)}`))}` : sql``;
    let reencrypted = 0;
    let lastId: string | number | null = null;
    for (;;) {
      const after: RawBuilder<unknown> = lastId === null ? sql`true` : sql`${id} > ${lastId}`;
      const { rows }: { rows: Array<{ id: string | number; value: string } & BoundValues> } = await sql<{ id: string | number; value: string } & BoundValues>`
        SELECT ${id} AS id, ${value} AS value${bound} FROM ${table}
        WHERE ${value} IS NOT NULL AND left(${value}, ${currentPrefix.length}) <> ${currentPrefix} AND ${after}
        ORDER BY ${id} LIMIT ${BATCH}`.execute(db);
      if (rows.length === 0) break;
      await db.transaction().execute(async (trx) => {
        for (const row of rows) {
          const plaintext = openSecret(keyRing, column, row.id, row.value, row);
          const resealed = sealSecret(keyRing, column, row.id, plaintext, row);
          const updated = await sql`UPDATE ${table} SET ${value} = ${resealed} WHERE ${id} = ${row.id} AND ${value} = ${row.value}`.execute(trx);
          reencrypted += Number(updated.numAffectedRows ?? 0);
        }
      });
      lastId = rows[rows.length - 1]!.id;
      onProgress?.(reencrypted, column);
    }
    const total = await sql<{ n: string }>`SELECT count(*) AS n FROM ${table} WHERE ${value} IS NOT NULL`.execute(db);
    const all = Number(total.rows[0]?.n ?? 0);
    report.columns.push({ table: column.table, column: column.column, reencrypted, alreadyCurrent: all - reencrypted });
    report.reencrypted += reencrypted;
  }
  return report;
}
