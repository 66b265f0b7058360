import type { MaterializationRun, RunProgressEvent, RunState, SourceProgress } from '@shared/warehouse';
import { formatCount } from './format';

/** The order a run loads its sources in, which is also the order the page lists them. */
const SOURCE_ORDER = ['cases', 'forms', 'applications'];

const FINISHED: ReadonlySet<RunState> = new Set(['completed', 'failed', 'cancelled']);

/** Whether a run has ended, one way or another; the other states mean it is still going. */
export function isFinished(state: RunState): boolean {
  return FINISHED.has(state);
}

/** The run's sources, cases first, as `[name, progress]`. */
export function orderedSources(sources: Record<string, SourceProgress>): Array<[string, SourceProgress]> {
  return Object.entries(sources).sort(([a], [b]) => sourceRank(a) - sourceRank(b) || a.localeCompare(b));
}

function sourceRank(name: string): number {
  const index = SOURCE_ORDER.indexOf(name);
  return index === -1 ? SOURCE_ORDER.length : index;
}

/** "Cases", "Forms". */
export function sourceLabel(name: string): string {
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Rows loaded so far across every source. */
export function rowsLoaded(sources: Record<string, SourceProgress>): number {
  return sum(Object.values(sources).map((source) => source.rows_loaded));
}

/**
 * A run as a progress event, for when it comes from polling rather than the
 * event stream: the source being loaded is the first one not yet complete.
 */
export function progressFromRun(run: MaterializationRun): RunProgressEvent {
  const current =
    run.state === 'loading'
      ? orderedSources(run.sources).find(([, source]) => source.rows_total === null || source.rows_loaded < source.rows_total)
      : undefined;
  return {
    id: run.id,
    state: run.state,
    source: current?.[0] ?? null,
    rows_loaded: current?.[1].rows_loaded ?? 0,
    rows_total: current?.[1].rows_total ?? null,
    sources: run.sources,
    error: run.error,
  };
}

/**
 * The sources that hold the domain's data, which every run loads (side by
 * side). The server reports a source once it starts on it; until then the
 * page shows it as waiting, and the bar counts it as not begun.
 */
const DATA_SOURCES = ['cases', 'forms'];

/** The run's sources in loading order, with the data sources not reported yet as null (waiting). */
export function sourcesToShow(sources: Record<string, SourceProgress>): Array<[string, SourceProgress | null]> {
  const waiting = DATA_SOURCES.filter((name) => !(name in sources)).map((name): [string, null] => [name, null]);
  const reported: Array<[string, SourceProgress | null]> = orderedSources(sources);
  return [...reported, ...waiting].sort(([a], [b]) => sourceRank(a) - sourceRank(b));
}

/** Share of loading in the bar; building the tables afterwards fills the rest. */
const LOADING_SHARE = 95;

/**
 * How far along the run is, 0–100. Once the totals of cases and forms are
 * both known, loading fills the bar in proportion to the rows loaded; before
 * that, each counts for half, and one without a total for nothing yet.
 * Building the tables takes the last stretch. Applications are a handful
 * of rows and don't count.
 */
export function percentDone(progress: Pick<RunProgressEvent, 'state' | 'sources'>): number {
  switch (progress.state) {
    case 'started':
      return 0;
    case 'transforming':
      return LOADING_SHARE;
    case 'completed':
      return 100;
    default: {
      const data = DATA_SOURCES.map((name) => progress.sources[name]);
      const totals = data.map((source) => source?.rows_total ?? null);
      let fraction: number;
      if (totals.every((total) => total !== null)) {
        const total = sum(totals.map((t) => t ?? 0));
        const loaded = sum(data.map((source) => Math.min(source?.rows_loaded ?? 0, source?.rows_total ?? 0)));
        fraction = total === 0 ? 1 : loaded / total;
      } else {
        fraction = sum(data.map((source) => (source && source.rows_total !== null ? sourceFraction(source.rows_loaded, source.rows_total) : 0))) / data.length;
      }
      return Math.floor(fraction * LOADING_SHARE);
    }
  }
}

function sourceFraction(loaded: number, total: number): number {
  return total === 0 ? 1 : Math.min(loaded / total, 1);
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** What the run is doing, in words: "Starting…", "Loading cases 12,345 of 100,000", "Building tables…". */
export function describeStep(progress: RunProgressEvent): string {
  switch (progress.state) {
    case 'started':
      return 'Starting…';
    case 'transforming':
      return 'Building tables…';
    case 'completed':
      return 'Complete';
    case 'failed':
      return 'Failed';
    case 'cancelled':
      return 'Cancelled';
    case 'loading': {
      if (!progress.source) return 'Loading…';
      const what = `Loading ${progress.source.replace(/_/g, ' ')}`;
      if (progress.rows_total !== null) return `${what} ${formatCount(progress.rows_loaded)} of ${formatCount(progress.rows_total)}`;
      if (progress.rows_loaded > 0) return `${what} ${formatCount(progress.rows_loaded)}`;
      return `${what}…`;
    }
  }
}

/** The step without its numbers, which change too often to announce: "Loading cases". */
export function describePhase(progress: RunProgressEvent): string {
  if (progress.state === 'loading' && progress.source) return `Loading ${progress.source.replace(/_/g, ' ')}`;
  return describeStep(progress).replace(/…$/, '');
}

/** Rows loaded at a moment, to measure the loading rate. */
export interface RateSample {
  at: number;
  rows: number;
}

/** How far back the rate is measured: long enough to smooth out pages, short enough to follow a change of pace. */
const RATE_WINDOW_MS = 20_000;
/** Below this much observation, a rate is a guess. */
const MIN_OBSERVATION_MS = 2_000;

/** Appends a sample and forgets the ones outside the window (keeping one just before it, as the window's start). */
export function addSample(samples: readonly RateSample[], sample: RateSample): RateSample[] {
  const next = [...samples, sample];
  const firstInWindow = next.findIndex((s) => s.at >= sample.at - RATE_WINDOW_MS);
  return next.slice(Math.max(firstInWindow - 1, 0));
}

export interface TimeLeft {
  seconds: number;
  /** Set when only the current source's total is known: the estimate covers just that source. */
  source: string | null;
}

/**
 * Time left from the rate observed over the last few seconds. While some
 * source's total is still unknown, only the current source can be
 * estimated; null when nothing honest can be said.
 */
export function estimateTimeLeft(progress: RunProgressEvent, samples: readonly RateSample[]): TimeLeft | null {
  if (progress.state !== 'loading') return null;
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last || last.at - first.at < MIN_OBSERVATION_MS) return null;
  const perMs = (last.rows - first.rows) / (last.at - first.at);
  if (perMs <= 0) return null;

  const sources = sourcesToShow(progress.sources).map(([, source]) => source);
  if (sources.every((source) => source !== null && source.rows_total !== null)) {
    const remaining = sum(sources.map((source) => Math.max((source?.rows_total ?? 0) - (source?.rows_loaded ?? 0), 0)));
    return { seconds: remaining / perMs / 1000, source: null };
  }
  // A source already loaded has no time left worth saying while the others are unknown.
  if (progress.source && progress.rows_total !== null && progress.rows_loaded < progress.rows_total) {
    return { seconds: (progress.rows_total - progress.rows_loaded) / perMs / 1000, source: progress.source };
  }
  return null;
}
