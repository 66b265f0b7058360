import { buildSpec, ChartConfigError, defaultTitle, type ChartSpec } from '@shared/charts/spec';
import { CHART_KINDS, type ChartConfig, type ChartData, type ChartKind } from '@shared/charts/types';
import { trimBoth } from '@shared/text';

/** A chart drawn from a choice, or why that choice can't be drawn (the field to fix and what is wrong with it). */
export type DrawnChart = { ok: true; config: ChartConfig; spec: ChartSpec } | { ok: false; field: keyof ChartConfig; message: string };

/** The choice as Scout draws it; a choice that doesn't fit the result is an answer, not an exception. */
export function drawChart(choice: ChartConfig, data: ChartData): DrawnChart {
  try {
    return { ok: true, ...buildSpec(choice, data, { width: 'container' }) };
  } catch (error) {
    if (error instanceof ChartConfigError) return { ok: false, field: error.field, message: error.message };
    throw error;
  }
}

/** Kinds that draw a picture of the rows; a big number or an image of a table says no more than the table does. */
const PICTURE_KINDS: ReadonlySet<ChartKind> = new Set(['bar', 'line', 'area', 'scatter', 'pie', 'donut']);

/** Whether a result opens on its chart rather than its table. */
export function opensOnChart(suggestion: ChartConfig): boolean {
  return PICTURE_KINDS.has(suggestion.kind);
}

/** Kinds whose marks a series can split into colours. */
export function takesSeries(kind: ChartKind): boolean {
  return kind === 'bar' || kind === 'line' || kind === 'area' || kind === 'scatter';
}

/** Kinds that stack or group a series. */
export function takesLayout(kind: ChartKind): boolean {
  return kind === 'bar' || kind === 'area';
}

/**
 * A title the user (or model) wrote, or undefined for the one Scout made up:
 * a drawn config always carries a title, and a made-up one must follow the
 * columns when they change.
 */
export function ownTitle(config: ChartConfig): string | undefined {
  const title = config.title?.trim();
  if (!title) return undefined;
  return title === defaultTitle({ ...config, title: undefined }) ? undefined : title;
}

/**
 * The choice after picking another kind: keep the columns that still fit
 * (first all of them, then just the measure), and let Scout fill the rest.
 * Sorting is the kind's own (bars by value, lines along x), so it starts afresh.
 */
export function withKind(current: ChartConfig | null, kind: ChartKind, data: ChartData): ChartConfig {
  const title = current ? ownTitle(current) : undefined;
  const base: ChartConfig = { kind, ...(title ? { title } : {}), ...(kind === 'bar' ? { sort: '-y' } : {}) };
  if (!current) return base;
  const series = takesSeries(kind) && current.series ? { series: current.series, ...(takesLayout(kind) && current.layout ? { layout: current.layout } : {}) } : {};
  const candidates: ChartConfig[] = [
    { ...base, ...(current.x ? { x: current.x } : {}), ...(current.y ? { y: current.y } : {}), ...series },
    { ...base, ...(current.y ? { y: current.y } : {}) },
    base,
  ];
  return candidates.find((candidate) => drawChart(candidate, data).ok) ?? base;
}

/** For each kind, null when it can be drawn from this result, or why not (said on the disabled button). */
export function kindAvailability(current: ChartConfig | null, data: ChartData): Record<ChartKind, string | null> {
  const out = {} as Record<ChartKind, string | null>;
  for (const kind of CHART_KINDS) {
    if (kind === 'number' && data.rows.length !== 1) {
      out[kind] = `A number shows one value; this result has ${data.rows.length.toLocaleString('en')} rows.`;
      continue;
    }
    const drawn = drawChart(withKind(current, kind, data), data);
    out[kind] = drawn.ok ? null : capitalize(drawn.message);
  }
  return out;
}

function capitalize(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}

/** "Cases by case type" → "cases-by-case-type.png": the title kept to what every file system accepts. */
export function chartFileName(title: string | undefined, extension: 'png' | 'svg'): string {
  const safe = trimBoth((title ?? '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-'), '-').slice(0, 80);
  return `${trimBoth(safe, '-') || 'chart'}.${extension}`;
}

/** The height a spec's chart takes (buildSpec's default when it names none), so a placeholder can hold its place. */
export function specHeight(spec: ChartSpec): number {
  return typeof spec.height === 'number' ? spec.height : 320;
}
