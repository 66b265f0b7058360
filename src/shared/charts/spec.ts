import { looksLikeDate, profileColumns } from './columns';
import { completeChart } from './suggest';
import type { ChartConfig, ChartData, ColumnProfile } from './types';

/** A Vega-Lite spec as JSON (the web and the server compile it with vega-lite). */
export type ChartSpec = { $schema: string } & Record<string, unknown>;

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** The most rows a table chart (an image of a table) lists. */
export const TABLE_CHART_ROWS = 20;
export const TABLE_CHART_COLUMNS = 6;
/** Past this many categories, or labels this long, bars lie down so their labels can be read. */
const HORIZONTAL_BARS_AFTER = 8;
const LONG_LABEL = 14;
/** Past this many, no axis could print every name: the bars stand as a distribution and the names are in tooltips and the table. */
export const MAX_LABELLED_CATEGORIES = 40;

export interface SpecOptions {
  /** Pixels of the whole chart; 'container' fills the element it is drawn in. */
  width?: number | 'container';
  height?: number;
  /** The font every text uses (the server's renderer has one font it knows). */
  font?: string;
}

/** `case_type` reads as "Case type" on an axis. */
export function humanize(column: string): string {
  const spaced = column.replaceAll('_', ' ').trim();
  return spaced ? spaced[0]!.toUpperCase() + spaced.slice(1) : column;
}

/** A column name as a Vega-Lite field: dots and brackets would otherwise mean nested access. */
export function fieldRef(column: string): string {
  let out = '';
  for (const char of column) out += char === '.' || char === '[' || char === ']' || char === '\\' ? `\\${char}` : char;
  return out;
}

/**
 * A PostgreSQL timestamp as ISO 8601 (`2024-01-02 10:00:00+00` → `2024-01-02T10:00:00+00:00`), which every JavaScript engine parses.
 * One without a zone gets `Z`: JavaScript reads a zoneless date-time as the browser's local time, and the axes are UTC.
 */
export function isoTimestamp(value: string): string {
  if (!looksLikeDate(value) || value.length === 10) return value;
  const iso = `${value.slice(0, 10)}T${value.slice(11)}`;
  const zone = Math.max(iso.lastIndexOf('+'), iso.lastIndexOf('-'));
  // A bare "+03" zone is not ISO; "+0300" and "+03:00" are.
  if (zone > 10) return iso.length - zone === 3 ? `${iso}:00` : iso;
  return iso.endsWith('Z') ? iso : `${iso}Z`;
}

/** The rows as the objects Vega-Lite draws: numbers as numbers (PostgreSQL's bigint and numeric arrive as text), times as ISO. */
export function chartRows(data: ChartData, profiles: ColumnProfile[]): Array<Record<string, unknown>> {
  return data.rows.map((row) => {
    // No prototype: a column named __proto__ is a field like any other.
    const record = Object.create(null) as Record<string, unknown>;
    profiles.forEach((profile, index) => {
      const value = row[index];
      if (value === null || value === undefined) record[profile.name] = null;
      else if (profile.role === 'quantitative') record[profile.name] = Number(value);
      else if (profile.role === 'temporal') record[profile.name] = isoTimestamp(String(value));
      else record[profile.name] = typeof value === 'string' ? value : JSON.stringify(value);
    });
    return record;
  });
}

type Channel = Record<string, unknown>;

/** A channel for one column, typed and titled from it. */
function channel(profile: ColumnProfile, extra: Channel = {}): Channel {
  const base: Channel = { field: fieldRef(profile.name), type: profile.role, title: humanize(profile.name) };
  if (profile.role === 'quantitative') base.axis = { format: ',~f' };
  // UTC: the same date reads the same in every browser and on the server.
  if (profile.role === 'temporal') base.scale = { type: 'utc' };
  return { ...base, ...extra };
}

function tooltip(profiles: Array<ColumnProfile | undefined>): Channel[] {
  return profiles
    .filter((p): p is ColumnProfile => p !== undefined)
    .map((p) => ({
      field: fieldRef(p.name),
      type: p.role,
      title: humanize(p.name),
      // A temporal field with a UTC scale is formatted in UTC (utcFormat), as the axis is; otherwise a tooltip shows the browser's local time.
      ...(p.role === 'quantitative' ? { format: ',~f' } : p.role === 'temporal' ? { format: '%Y-%m-%d %H:%M', scale: { type: 'utc' } } : {}),
    }));
}

export function defaultTitle(config: ChartConfig): string {
  const y = config.y ? humanize(config.y) : undefined;
  if (config.kind === 'number' || config.kind === 'table' || !config.x) return y ?? 'Result';
  if (config.kind === 'scatter') return `${y} against ${humanize(config.x).toLowerCase()}`;
  return `${y} by ${humanize(config.x).toLowerCase()}${config.series ? ` and ${humanize(config.series).toLowerCase()}` : ''}`;
}

export class ChartConfigError extends Error {
  constructor(
    message: string,
    readonly field: keyof ChartConfig,
  ) {
    super(message);
  }
}

/** The columns a chart names, checked against the result: a clear message for one that isn't there or can't be measured. */
function resolveColumns(config: ChartConfig, profiles: ColumnProfile[]) {
  const find = (field: 'x' | 'y' | 'series') => {
    const name = config[field];
    if (name === undefined) return undefined;
    const profile = profiles.find((p) => p.name === name) ?? profiles.find((p) => p.name.toLowerCase() === name.toLowerCase());
    if (!profile) throw new ChartConfigError(`the result has no column '${name}'; its columns are ${profiles.map((p) => p.name).join(', ')}.`, field);
    return profile;
  };
  const x = find('x');
  const y = find('y');
  const series = find('series');
  if (config.kind !== 'table') {
    if (!y) throw new ChartConfigError(`a ${config.kind} chart needs a number to measure, and the result has no numeric column.`, 'y');
    if (y.role !== 'quantitative') throw new ChartConfigError(`must be a numeric column; '${y.name}' is ${y.type}. Cast it in SQL (e.g. ${y.name}::numeric) or choose another.`, 'y');
    if (config.kind !== 'number' && !x) throw new ChartConfigError(`a ${config.kind} chart needs a column here.`, 'x');
    if (config.kind === 'scatter' && x && x.role !== 'quantitative') throw new ChartConfigError(`a scatter chart plots two numbers; '${x.name}' is ${x.type}.`, 'x');
  }
  return { x, y, series };
}

/**
 * The Vega-Lite spec for a chart over a result. Scout writes every spec
 * itself from the choice and the columns: nothing a user or model writes
 * becomes an expression, a URL or code.
 */
export function buildSpec(chosen: ChartConfig, data: ChartData, options: SpecOptions = {}): { config: ChartConfig; spec: ChartSpec } {
  const profiles = profileColumns(data);
  const config = completeChart(chosen, data, profiles);
  const { x, y, series } = resolveColumns(config, profiles);
  const values = chartRows(data, profiles);
  const title = config.title?.trim() || defaultTitle(config);
  const subtitle = data.truncated ? `Drawn from the first ${data.rows.length.toLocaleString('en')} rows only: aggregate in SQL to chart them all.` : undefined;
  const width = options.width ?? 'container';
  const height = options.height ?? 320;
  const spec: ChartSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: title, ...(subtitle ? { subtitle } : {}), anchor: 'start' },
    description: `${title}${subtitle ? ` (${subtitle})` : ''}`,
    width,
    height,
    autosize: { type: 'fit', contains: 'padding' },
    data: { values },
    ...(options.font ? { config: { font: options.font } } : {}),
  };

  const color = series ? { color: channel(series, { legend: { orient: 'bottom' } }) } : {};
  switch (config.kind) {
    case 'bar': {
      const category = x!;
      const longest = values.reduce((max, v) => Math.max(max, String(v[category.name] ?? '').length), 0);
      const crowded = category.role === 'nominal' && category.distinct > MAX_LABELLED_CATEGORIES;
      const horizontal = category.role === 'nominal' && !crowded && (category.distinct > HORIZONTAL_BARS_AFTER || longest > LONG_LABEL);
      const [along, across] = horizontal ? (['y', 'x'] as const) : (['x', 'y'] as const);
      const sort = sortFor(config.sort, across);
      const axis = crowded
        ? { labels: false, ticks: false, title: `${humanize(category.name)} (${category.distinct.toLocaleString('en')} values, too many to label)` }
        : category.role === 'nominal'
          ? { labelLimit: 160, ...(horizontal ? {} : { labelAngle: longest > 6 && category.distinct > 4 ? -40 : 0 }) }
          : undefined;
      // No rounded corners: each becomes a path of its own, ten times the work for a few hundred bars.
      spec.mark = { type: 'bar', tooltip: true };
      spec.encoding = {
        // Bars over time stand one per date (a band each), so a series can also stand side by side.
        [along]: channel(category, {
          ...(sort !== undefined ? { sort } : {}),
          ...(axis ? { axis } : {}),
          ...(category.role === 'temporal' ? { type: 'ordinal', timeUnit: 'utcyearmonthdate', scale: undefined } : {}),
        }),
        // Summed: a category on several rows (no GROUP BY) is one bar, not a stack of slivers.
        [across]: channel(y!, { aggregate: 'sum', ...(config.layout === 'grouped' || !series ? {} : { stack: 'zero' }) }),
        ...color,
        ...(series && config.layout === 'grouped' ? { [`${along}Offset`]: { field: fieldRef(series.name) } } : {}),
        tooltip: tooltip([category, series, y]).map((entry) => (entry.field === fieldRef(y!.name) ? { ...entry, aggregate: 'sum' } : entry)),
      };
      break;
    }
    case 'line':
    case 'area': {
      const sort = sortFor(config.sort, 'y');
      const stacked = config.kind === 'area' && series && config.layout !== 'grouped';
      // Curves read well over a few points; over hundreds they are invisible and cost the renderer a third of its time.
      const interpolate = values.length > 200 ? 'linear' : 'monotone';
      spec.mark =
        config.kind === 'line'
          ? { type: 'line', point: values.length <= 60, tooltip: true, interpolate }
          : { type: 'area', line: true, tooltip: true, interpolate, opacity: stacked || !series ? 0.7 : 0.35 };
      spec.encoding = {
        x: channel(x!, x!.role === 'nominal' && sort !== undefined ? { sort } : {}),
        y: channel(y!, config.kind === 'area' ? { stack: stacked ? 'zero' : null } : {}),
        ...color,
        tooltip: tooltip([x, series, y]),
      };
      break;
    }
    case 'scatter':
      spec.mark = { type: 'point', filled: true, tooltip: true, opacity: 0.7 };
      spec.encoding = { x: channel(x!, { scale: { zero: false } }), y: channel(y!, { scale: { zero: false } }), ...color, tooltip: tooltip([x, y, series]) };
      break;
    case 'pie':
    case 'donut':
      spec.mark = { type: 'arc', tooltip: true, ...(config.kind === 'donut' ? { innerRadius: 60 } : {}) };
      spec.encoding = {
        theta: { ...channel(y!), stack: true, axis: undefined },
        color: channel(x!, { legend: { orient: 'right' }, sort: { field: fieldRef(y!.name), order: 'descending' } }),
        order: { field: fieldRef(y!.name), type: 'quantitative', sort: 'descending' },
        tooltip: tooltip([x, y]),
      };
      spec.view = { stroke: null };
      break;
    case 'number':
      spec.mark = { type: 'text', fontSize: 72, fontWeight: 'bold', baseline: 'middle' };
      spec.encoding = { text: { field: fieldRef(y!.name), type: 'quantitative', format: y!.integer ? ',' : ',.2~f' } };
      spec.data = { values: values.slice(0, 1) };
      spec.view = { stroke: null };
      break;
    case 'table': {
      const shown = profiles.slice(0, TABLE_CHART_COLUMNS);
      spec.data = {
        values: values.slice(0, TABLE_CHART_ROWS).flatMap((row, index) => shown.map((p) => ({ row: index + 1, column: p.name, value: row[p.name] === null ? '' : String(row[p.name]) }))),
      };
      spec.mark = { type: 'text', align: 'left', limit: 150 };
      spec.encoding = {
        y: { field: 'row', type: 'ordinal', axis: null },
        x: { field: 'column', type: 'nominal', sort: shown.map((p) => p.name), axis: { orient: 'top', title: null, labelAngle: 0 } },
        text: { field: 'value', type: 'nominal' },
      };
      spec.view = { stroke: null };
      break;
    }
  }
  return { config: { ...config, title }, spec };
}

/** Vega-Lite's sort for the category channel: by itself, or by the value on the other channel. */
function sortFor(sort: ChartConfig['sort'], valueChannel: 'x' | 'y'): string | null | undefined {
  switch (sort) {
    case 'y':
      return valueChannel;
    case '-y':
      return `-${valueChannel}`;
    case 'x':
      return 'ascending';
    case '-x':
      return 'descending';
    // null keeps the query's own order; left out, Vega-Lite sorts the categories A to Z.
    case 'none':
      return null;
    default:
      return undefined;
  }
}
