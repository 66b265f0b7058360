/**
 * A chart in Scout is data plus a spec Scout builds itself: the rows of one
 * read-only query and a few choices people understand. Never code.
 */
export const CHART_KINDS = ['bar', 'line', 'area', 'scatter', 'pie', 'donut', 'number', 'table'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

/** How a series splits bars and areas: side by side or on top of each other. */
export const CHART_LAYOUTS = ['stacked', 'grouped'] as const;
export type ChartLayout = (typeof CHART_LAYOUTS)[number];

/** `y` and `-y` order the categories by their value (descending with the minus), `x` and `-x` by the category itself. */
export const CHART_SORTS = ['none', 'x', '-x', 'y', '-y'] as const;
export type ChartSort = (typeof CHART_SORTS)[number];

/** What a user (or a model) chooses; the spec follows from it and the result's columns. */
export interface ChartConfig {
  kind: ChartKind;
  /** The category, time or first number: a column of the result. */
  x?: string;
  /** The measured number: a column of the result. */
  y?: string;
  /** A column that splits the marks into colours. */
  series?: string;
  title?: string;
  sort?: ChartSort;
  layout?: ChartLayout;
}

/** What a column holds, for choosing and building charts. */
export type ColumnRole = 'temporal' | 'quantitative' | 'nominal';

export interface ColumnProfile {
  name: string;
  /** PostgreSQL's name for the type, as the query tool reports it. */
  type: string;
  role: ColumnRole;
  /** Distinct non-null values among the rows (counted up to the rows there are). */
  distinct: number;
  nulls: number;
  /** Whole numbers only (quantitative columns). */
  integer: boolean;
}

/** What a chart is drawn from: the query tool's result. */
export interface ChartData {
  columns: Array<{ name: string; type: string }>;
  rows: unknown[][];
  truncated?: boolean;
}
