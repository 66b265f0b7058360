import type pg from 'pg';
import type { WarehouseTable } from '../../../shared/warehouse';
import { ident, literal } from '../../platform/db/sql';
import { SCOPE_SETTING } from './row-security';
import { restrictedRole } from './sql';
import type { SchemaManager } from './schema-manager';

/** Warehouses whose table lists are kept in memory (a few kB each). */
const TABLE_CACHE_SIZE = 500;

/** What a warehouse holds, as `list_tables`, `describe_table`, the chat's prompt and the Data page read it. */
export class WarehouseCatalog {
  private readonly tableCache = new Map<string, { version: string; tables: Promise<WarehouseTable[]> }>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly schemas: SchemaManager,
  ) {}

  /**
   * Tables and views of a warehouse with row counts and dictionary columns
   * (empty when not synced). Counting every table is the costly part and the
   * data only changes with a sync, so with `syncedAt` (the schema's
   * last_sync_at) the answer is kept until the next sync.
   */
  async describeTables(schema: string, syncedAt?: Date | null): Promise<WarehouseTable[]> {
    if (!syncedAt) return this.readTables(schema);
    const version = syncedAt.toISOString();
    const cached = this.tableCache.get(schema);
    if (cached?.version === version) return cached.tables;
    const tables = this.readTables(schema);
    this.tableCache.delete(schema);
    this.tableCache.set(schema, { version, tables });
    // Forget a failed read, and keep the cache to the most recently used warehouses.
    void tables.catch(() => {
      if (this.tableCache.get(schema)?.tables === tables) this.tableCache.delete(schema);
    });
    if (this.tableCache.size > TABLE_CACHE_SIZE) this.tableCache.delete(this.tableCache.keys().next().value!);
    return tables;
  }

  /**
   * The same list as `describeTables`, with the row counts a row-security
   * scope sees (counted as the restricted reader, never cached: scopes change
   * without a sync).
   */
  async describeTablesAs(schema: string, syncedAt: Date | null, scope: string): Promise<WarehouseTable[]> {
    const tables = await this.describeTables(schema, syncedAt);
    const client = await this.pool.connect();
    try {
      await client.query(`BEGIN READ ONLY; SET LOCAL ROLE ${ident(restrictedRole(schema))}; SET LOCAL ${SCOPE_SETTING} = ${literal(scope)}`);
      const counted = [];
      for (const table of tables) {
        const count = await client.query(`SELECT count(*)::bigint AS n FROM ${ident(schema)}.${ident(table.name)}`);
        counted.push({ ...table, row_count: Number(count.rows[0]?.n ?? 0) });
      }
      return counted;
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }

  private async readTables(schema: string): Promise<WarehouseTable[]> {
    const exists = await this.schemas.exists(schema);
    if (!exists) return [];
    const client = await this.pool.connect();
    try {
      const present = await client.query(`SELECT to_regclass($1) IS NOT NULL AS ok`, [`${ident(schema)}._scout_columns`]);
      if (!present.rows[0]?.ok) return [];
      const relations = await client.query(
        `SELECT c.relname AS name, CASE c.relkind WHEN 'v' THEN 'view' ELSE 'table' END AS kind, COALESCE(t.description, '') AS description
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN ${ident(schema)}._scout_tables t ON t.table_name = c.relname
         WHERE n.nspname = $1 AND c.relkind IN ('r', 'v') AND c.relname NOT LIKE '\\_%' ORDER BY c.relkind, c.relname`,
        [schema],
      );
      // Columns in the order the table or view declares them.
      const columns = await client.query(
        `SELECT d.table_name, d.column_name, d.data_type, COALESCE(d.description, '') AS description
         FROM ${ident(schema)}._scout_columns d
         LEFT JOIN information_schema.columns c ON c.table_schema = $1 AND c.table_name = d.table_name AND c.column_name = d.column_name
         ORDER BY d.table_name, c.ordinal_position NULLS LAST, d.column_name`,
        [schema],
      );
      const byTable = new Map<string, Array<{ name: string; type: string; description: string }>>();
      for (const row of columns.rows as Array<{ table_name: string; column_name: string; data_type: string; description: string }>) {
        const list = byTable.get(row.table_name) ?? [];
        list.push({ name: row.column_name, type: row.data_type, description: row.description });
        byTable.set(row.table_name, list);
      }
      const tables = [];
      for (const relation of relations.rows as Array<{ name: string; kind: 'table' | 'view'; description: string }>) {
        const count = await client.query(`SELECT count(*)::bigint AS n FROM ${ident(schema)}.${ident(relation.name)}`);
        tables.push({ ...relation, row_count: Number(count.rows[0]?.n ?? 0), columns: byTable.get(relation.name) ?? [] });
      }
      return tables;
    } finally {
      client.release();
    }
  }
}
