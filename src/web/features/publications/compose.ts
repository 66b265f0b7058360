import { PUBLICATION_TITLE_MAX, TABLE_EXCERPT_ROWS, type PublicationState, type TableExcerpt } from '@shared/publications';
import { cellText } from '@/features/data/csv';

/**
 * What the compose dialog starts from: a question's, a dashboard's or a chat
 * answer's result turned into a title, a few plain sentences and a table
 * excerpt the person then edits. Pure, so the wording is tested.
 */

/** The part of a query result the summaries read. */
export interface ResultLike {
  columns: ReadonlyArray<{ name: string; type?: string }>;
  rows: ReadonlyArray<ReadonlyArray<unknown>>;
  row_count?: number;
  truncated?: boolean;
}

const NUMBER = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/** A cell as it reads in a sentence: numbers grouped ("1,234"), the rest as text. */
export function valueText(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return NUMBER.format(value);
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return NUMBER.format(Number(value));
  return cellText(value);
}

/** "1 row", "20 rows". */
function rowsText(result: ResultLike): string {
  const count = result.row_count ?? result.rows.length;
  const words = `${NUMBER.format(count)} ${count === 1 ? 'row' : 'rows'}`;
  return result.truncated ? `at least ${words}` : words;
}

/** What the server takes in an excerpt: this many columns, cells of at most this many characters. */
const EXCERPT_COLUMNS = 20;
const CELL_MAX = 500;

const cellOf = (value: unknown) => {
  const text = cellText(value);
  return text.length > CELL_MAX ? `${text.slice(0, CELL_MAX - 1)}…` : text;
};

/** The first rows (at most TABLE_EXCERPT_ROWS) and columns as text: what "Attach a table excerpt" sends. */
export function tableExcerpt(result: ResultLike, maxRows = TABLE_EXCERPT_ROWS): TableExcerpt {
  const columns = result.columns.slice(0, EXCERPT_COLUMNS);
  return {
    columns: columns.map((column) => cellOf(column.name)),
    rows: result.rows.slice(0, maxRows).map((row) => columns.map((_, index) => cellOf(row[index]))),
  };
}

/** How many result lines a summary names before "and N more". */
const LISTED = 5;

/**
 * A result in a sentence or two: one row reads as "cases: 150"; a label and
 * its numbers read as one line each ("child: 80 cases"); anything else says
 * how many rows there are.
 */
export function resultSummary(result: ResultLike): string {
  const { columns, rows } = result;
  if (rows.length === 0) return 'No rows.';
  if (rows.length === 1) {
    return columns.map((column, index) => `${column.name}: ${valueText(rows[0]![index])}`).join(', ') + '.';
  }
  const lines = rows.slice(0, LISTED).map((row) => {
    const [label, ...rest] = row;
    const values = rest.map((value, index) => `${valueText(value)} ${columns[index + 1]?.name ?? ''}`.trim());
    return `${cellText(label) || '(empty)'}: ${values.join(', ')}`;
  });
  const more = rows.length > LISTED ? `\n… and ${NUMBER.format(rows.length - LISTED)} more.` : '';
  return `${capitalise(rowsText(result))}:\n${lines.join('\n')}${more}`;
}

/** A question's (or a chat answer's) result: its description, then what it found (the title is the post's own). */
export function questionText(result: ResultLike, description?: string): string {
  return [description?.trim(), resultSummary(result)].filter(Boolean).join('\n\n');
}

/** A dashboard tile as the dashboard's summary reads it. */
export interface TileSummary {
  title: string;
  kind: 'question' | 'number' | 'text';
  result?: ResultLike | undefined;
}

/** A dashboard: its description, then each big number ("Open cases: 150") and how many rows each chart shows. */
export function dashboardText(description: string, tiles: readonly TileSummary[]): string {
  const numbers: string[] = [];
  const others: string[] = [];
  for (const tile of tiles) {
    if (tile.kind === 'text' || !tile.result) continue;
    if (tile.kind === 'number') {
      const value = tile.result.rows[0]?.[0];
      numbers.push(`${tile.title}: ${value === undefined || value === null ? '—' : valueText(value)}`);
    } else {
      others.push(`${tile.title}: ${rowsText(tile.result)}`);
    }
  }
  return [description.trim(), numbers.join('\n'), others.join('\n')].filter(Boolean).join('\n\n');
}

/** A title the server accepts: trimmed, at most PUBLICATION_TITLE_MAX characters. */
export function publicationTitle(title: string): string {
  const trimmed = title.trim();
  return trimmed.length > PUBLICATION_TITLE_MAX ? `${trimmed.slice(0, PUBLICATION_TITLE_MAX - 1)}…` : trimmed;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Where a publication is in its life, in words, and how its badge looks. */
export const STATE_LABELS: Record<PublicationState, { label: string; variant: 'success' | 'secondary' | 'destructive' | 'outline' }> = {
  draft: { label: 'Draft', variant: 'outline' },
  pending_approval: { label: 'Waiting for approval', variant: 'secondary' },
  approved: { label: 'Publishing…', variant: 'secondary' },
  published: { label: 'Published', variant: 'success' },
  failed: { label: 'Failed', variant: 'destructive' },
  rejected: { label: 'Rejected', variant: 'destructive' },
};

/** Publishing has finished, one way or the other: nothing left to poll for. */
export function isSettled(state: PublicationState): boolean {
  return state !== 'approved';
}
