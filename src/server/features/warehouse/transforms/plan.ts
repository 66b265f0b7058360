import type pg from 'pg';
import { ident, literal, qualified } from '../../../platform/db/sql';
import { allValidSql, type CastKind } from './typing';

/** A view to create: its columns as SQL expressions over one base table, filtered on one value. */

export interface ViewColumn {
  name: string;
  /** An expression over the base table's columns (works on the probe too: same columns). */
  expr: string;
  description: string;
  source: string;
}

export interface ViewPlan {
  name: string;
  base: 'cases' | 'forms';
  filter: { column: 'case_type' | 'xmlns'; value: string };
  columns: ViewColumn[];
  description: string;
  /** Case views: the case type and the raw property names it has columns for. */
  caseType?: string;
  properties?: string[];
}

/** 'Referred to facility?' stays as it is; 'Weight (kg)' becomes 'Weight (kg).'. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.?!:]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** 'Choices: a, b, c.' for the dictionary (at most 30). */
export function choices(options: readonly string[]): string {
  return `Choices: ${options.slice(0, 30).join(', ')}${options.length > 30 ? ', …' : ''}.`;
}

/**
 * The base table's alias in a view and in the probe's sample query: a
 * column that must name the base row from inside a subquery (the directory
 * columns) says `_row.owner_id`, which works on both.
 */
export const ROW_ALIAS = '_row';

export function selectList(plan: ViewPlan): string {
  return plan.columns.map((column) => `${column.expr} AS ${ident(column.name)}`).join(',\n       ');
}

/**
 * A query returns at most 1664 columns: a form with more questions (they
 * exist) keeps its first ones, and the view's description says where the
 * rest are.
 */
export const MAX_VIEW_COLUMNS = 1600;

export function capColumns(plan: ViewPlan, restAt: string): ViewPlan {
  if (plan.columns.length <= MAX_VIEW_COLUMNS) return plan;
  const left = plan.columns.length - MAX_VIEW_COLUMNS;
  return {
    ...plan,
    columns: plan.columns.slice(0, MAX_VIEW_COLUMNS),
    description: `${plan.description} ${left} more columns did not fit in this view; their values are in ${restAt}.`,
  };
}

export async function createView(client: pg.ClientBase, schema: string, plan: ViewPlan): Promise<void> {
  await client.query(
    `CREATE VIEW ${qualified(schema, plan.name)} WITH (security_invoker = true) AS
SELECT ${selectList(plan)}
  FROM ${qualified(schema, plan.base)} AS ${ROW_ALIAS}
 WHERE ${ident(plan.filter.column)} = ${literal(plan.filter.value)}`,
  );
}

export interface TypeCandidate {
  kind: CastKind;
  /** The text expression whose values must all fit `kind`. */
  value: string;
}

/**
 * Which candidates the probe's values confirm: one aggregate query over the
 * probe rows of one case type (or form), true per candidate when every
 * non-empty value matches its type's pattern.
 */
export async function confirmTypes(
  client: pg.ClientBase,
  probeTable: string,
  filter: ViewPlan['filter'],
  candidates: readonly TypeCandidate[],
): Promise<boolean[]> {
  const confirmed: boolean[] = [];
  // In chunks: a query returns at most 1664 columns.
  for (let start = 0; start < candidates.length; start += CHECKS_PER_QUERY) {
    const chunk = candidates.slice(start, start + CHECKS_PER_QUERY);
    const checks = chunk.map((candidate, i) => `${allValidSql(candidate.kind, candidate.value)} AS ${ident(`c${i}`)}`);
    const { rows } = await client.query<Record<string, boolean>>(
      `SELECT ${checks.join(', ')} FROM ${probeTable} WHERE ${ident(filter.column)} = $1`,
      [filter.value],
    );
    const row = rows[0] ?? {};
    chunk.forEach((_, i) => confirmed.push(row[`c${i}`] !== false));
  }
  return confirmed;
}

const CHECKS_PER_QUERY = 500;
