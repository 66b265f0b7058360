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

/** Rows of cases and forms loaded so far: what the time left is measured in. */
export function dataRowsLoaded(sources: Record<string, SourceProgress>): number {
  return sum(DATA_SOURCES.map((name) => sources[name]?.rows_loaded ?? 0));
}

/** Rows loaded at a moment, to measure the loading rate. */
export interface RateSample {
  at: number;
  rows: number;
}

/** How far back the rate is measured: long enough to smooth out pages, short enough to follow a change of pace. */
const RATE_WINDOW_MS = 20_000;
/** Below this much observation (a page or two), a rate is a guess. */
const MIN_OBSERVATION_MS = 3_000;

/** Appends a sample and forgets the ones outside the window (keeping one just before it, as the window's start). */
export function addSample(samples: readonly RateSample[], sample: RateSample): RateSample[] {
  const next = [...samples, sample];
  const firstInWindow = next.findIndex((s) => s.at >= sample.at - RATE_WINDOW_MS);
  return next.slice(Math.max(firstInWindow - 1, 0));
}

/** "estimating" until a rate has been measured; then the seconds of loading left. */
export type TimeLeft = { kind: 'estimating' } | { kind: 'known'; seconds: number };

const ESTIMATING: TimeLeft = { kind: 'estimating' };

/**
 * The loading time left, from the throughput measured over the recent
 * window (rows of cases and forms per second, counted up to `now`, so a
 * pause in the pages slows the rate down instead of freezing the estimate)
 * and the totals CommCare reported. Until both totals are known and a few
 * seconds of progress have been seen, it is still "estimating"; outside
 * loading (building the tables, finished) there is nothing to say: null.
 */
export function estimateTimeLeft(progress: Pick<RunProgressEvent, 'state' | 'sources'>, samples: readonly RateSample[], now: number): TimeLeft | null {
  if (progress.state === 'started') return ESTIMATING;
  if (progress.state !== 'loading') return null;
  const data = DATA_SOURCES.map((name) => progress.sources[name]);
  if (data.some((source) => !source || source.rows_total === null)) return ESTIMATING;
  const remaining = sum(data.map((source) => Math.max((source?.rows_total ?? 0) - (source?.rows_loaded ?? 0), 0)));
  // Everything is in; what is left is building the tables, which the step says.
  if (remaining === 0) return null;
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last) return ESTIMATING;
  const elapsed = Math.max(now, last.at) - first.at;
  const rows = last.rows - first.rows;
  if (elapsed < MIN_OBSERVATION_MS || rows <= 0) return ESTIMATING;
  return { kind: 'known', seconds: remaining / (rows / elapsed) / 1000 };
}

/**
 * The time left in words, as roughly as it is known and never shorter than
 * it is: "a few seconds left" only under 5 s, then "about 8 s left",
 * "about 20 s left", "about 2 min left", "about 3 h left".
 */
export function describeTimeLeft(timeLeft: TimeLeft): string {
  if (timeLeft.kind === 'estimating') return 'Estimating time left…';
  const { seconds } = timeLeft;
  if (seconds < 5) return 'A few seconds left';
  if (seconds < 10) return `About ${Math.ceil(seconds)} s left`;
  if (seconds < 60) return `About ${Math.ceil(seconds / 5) * 5} s left`;
  if (seconds < 90 * 60) return `About ${Math.round(seconds / 60)} min left`;
  return `About ${Math.round(seconds / 3600)} h left`;
}
