/** What the workbench may do to the editor (the editor itself loads lazily). */
export interface SqlEditorHandle {
  /** Inserts `text` at the cursor (replacing a selection) and focuses the editor. */
  insert(text: string): void;
  /** Replaces the whole query. */
  setSql(sql: string): void;
  /** The selected text when there is a selection, otherwise the whole query. */
  runnableSql(): string;
  /** Formats the query (or the selection) with the PostgreSQL dialect. */
  format(): void;
  focus(): void;
}

/** Tables and views with their columns, for completion: `{ cases: [{ name: 'case_id', type: 'text' }] }`. */
export type EditorSchema = Record<string, { kind: 'table' | 'view'; description?: string | null; columns: Array<{ name: string; type: string }> }>;

/** A name as SQL writes it: bare when it is a plain lower-case identifier, else double-quoted. */
export function quoteIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/** Words PostgreSQL reserves, which a column may still be named (rarely): those must be quoted. */
const RESERVED = new Set(
  'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral leading limit localtime localtimestamp not null offset on only or order placing primary references returning select session_user some symmetric system_user table then to trailing true union unique user using variadic when where window with'.split(
    ' ',
  ),
);
