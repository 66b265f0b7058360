import type { MaterializationRun, RunProgressEvent } from '@shared/warehouse';
import { describe, expect, it } from 'vitest';
import { addSample, describeStep, describeTimeLeft, estimateTimeLeft, orderedSources, percentDone, progressFromRun, sourcesToShow, type RateSample } from './progress';

const n = (value: number) => value.toLocaleString();

function loading(overrides: Partial<RunProgressEvent> = {}): RunProgressEvent {
  return {
    id: 'run-1',
    state: 'loading',
    source: 'cases',
    rows_loaded: 12_345,
    rows_total: 100_000,
    sources: { cases: { rows_loaded: 12_345, rows_total: 100_000 }, forms: { rows_loaded: 0, rows_total: 200_000 } },
    error: null,
    ...overrides,
  };
}

describe('describeStep', () => {
  it('says which source is loading and how far it has got', () => {
    expect(describeStep(loading())).toBe(`Loading cases ${n(12_345)} of ${n(100_000)}`);
  });

  it('leaves out the total while HQ has not said it', () => {
    expect(describeStep(loading({ rows_total: null }))).toBe(`Loading cases ${n(12_345)}`);
    expect(describeStep(loading({ source: 'forms', rows_loaded: 0, rows_total: null }))).toBe('Loading forms…');
  });

  it('names the steps around loading', () => {
    expect(describeStep(loading({ state: 'started', source: null }))).toBe('Starting…');
    expect(describeStep(loading({ state: 'transforming', source: null }))).toBe('Building tables…');
  });
});

describe('percentDone', () => {
  it('counts rows loaded against the rows coming once both totals are known, keeping the last stretch for building tables', () => {
    // 12,345 of 300,000 rows is 4.1% of loading, which is 95% of the bar.
    expect(percentDone(loading())).toBe(3);
    const allLoaded = { cases: { rows_loaded: 10, rows_total: 10 }, forms: { rows_loaded: 20, rows_total: 20 } };
    expect(percentDone({ state: 'loading', sources: allLoaded })).toBe(95);
    expect(percentDone({ state: 'transforming', sources: allLoaded })).toBe(95);
    expect(percentDone({ state: 'completed', sources: allLoaded })).toBe(100);
  });

  it('counts cases and forms as half each while a total is unknown, so forms not reported yet are not mistaken for done', () => {
    expect(percentDone({ state: 'loading', sources: { cases: { rows_loaded: 1000, rows_total: 1000 } } })).toBe(47);
    const formsUnknown = { cases: { rows_loaded: 500, rows_total: 1000 }, forms: { rows_loaded: 800, rows_total: null } };
    expect(percentDone({ state: 'loading', sources: formsUnknown })).toBe(23);
  });

  it('ignores applications and never passes the loading share', () => {
    const sources = {
      cases: { rows_loaded: 150, rows_total: 100 },
      forms: { rows_loaded: 0, rows_total: 0 },
      applications: { rows_loaded: 0, rows_total: 5 },
    };
    expect(percentDone({ state: 'loading', sources })).toBe(95);
  });
});

describe('sourcesToShow', () => {
  it('lists cases and forms as waiting until the server reports them', () => {
    expect(sourcesToShow({ applications: { rows_loaded: 2, rows_total: 2 }, cases: { rows_loaded: 5, rows_total: null } })).toEqual([
      ['cases', { rows_loaded: 5, rows_total: null }],
      ['forms', null],
      ['applications', { rows_loaded: 2, rows_total: 2 }],
    ]);
  });
});

describe('estimateTimeLeft', () => {
  const sources = (cases: number, forms: number, totals: [number | null, number | null] = [1_000, 2_000]) => ({
    cases: { rows_loaded: cases, rows_total: totals[0] },
    forms: { rows_loaded: forms, rows_total: totals[1] },
  });
  const at = (seconds: number) => seconds * 1000;

  it('follows a run from its samples: estimating at first, then about the measured rate, then nothing once loading is done', () => {
    // A sync as its pages land: 1,000 cases and 1,000 forms after 1.5 s, then 500 forms every 1.5 s.
    const seen: Array<{ state: 'started' | 'loading' | 'transforming'; cases: number; forms: number; t: number }> = [
      { state: 'started', cases: 0, forms: 0, t: 0 },
      { state: 'loading', cases: 0, forms: 0, t: 0.2 },
      { state: 'loading', cases: 1_000, forms: 1_000, t: 1.5 },
      { state: 'loading', cases: 1_000, forms: 1_500, t: 3 },
      { state: 'loading', cases: 1_000, forms: 2_000, t: 4.5 },
      { state: 'transforming', cases: 1_000, forms: 2_000, t: 4.6 },
    ];
    let samples: RateSample[] = [];
    const answers = seen.map(({ state, cases, forms, t }) => {
      samples = addSample(samples, { at: at(t), rows: cases + forms });
      return estimateTimeLeft({ state, sources: sources(cases, forms) }, samples, at(t));
    });
    expect(answers[0]).toEqual({ kind: 'estimating' });
    // Before a few seconds of progress, a rate is a guess.
    expect(answers[1]).toEqual({ kind: 'estimating' });
    expect(answers[2]).toEqual({ kind: 'estimating' });
    // 2,500 rows in the 3 s since the first sample: the 500 rows to go take about 0.6 s.
    expect(answers[3]).toEqual({ kind: 'known', seconds: expect.closeTo(500 / (2_500 / 3), 5) });
    expect(answers[4]).toBeNull();
    expect(answers[5]).toBeNull();
  });

  it('counts the time since the last page, so a stall makes the estimate longer rather than frozen', () => {
    const samples = [
      { at: 0, rows: 0 },
      { at: at(4), rows: 1_000 },
    ];
    const progress = { state: 'loading' as const, sources: sources(500, 500, [5_000, 5_000]) };
    const right = estimateTimeLeft(progress, samples, at(4));
    const later = estimateTimeLeft(progress, samples, at(8));
    // 250 rows/s with 9,000 to go, then 125 rows/s once nothing came for 4 s.
    expect(right).toEqual({ kind: 'known', seconds: 36 });
    expect(later).toEqual({ kind: 'known', seconds: 72 });
  });

  it('is still estimating while CommCare has not said a total, or nothing has moved', () => {
    const samples = [
      { at: 0, rows: 0 },
      { at: at(5), rows: 1_000 },
    ];
    expect(estimateTimeLeft({ state: 'loading', sources: sources(1_000, 0, [1_000, null]) }, samples, at(5))).toEqual({ kind: 'estimating' });
    expect(estimateTimeLeft({ state: 'loading', sources: { cases: { rows_loaded: 1_000, rows_total: 1_000 } } }, samples, at(5))).toEqual({ kind: 'estimating' });
    const still = [
      { at: 0, rows: 1_000 },
      { at: at(5), rows: 1_000 },
    ];
    expect(estimateTimeLeft({ state: 'loading', sources: sources(500, 500) }, still, at(5))).toEqual({ kind: 'estimating' });
  });

  it('measures the recent window, so a faster pace shows up', () => {
    let samples: RateSample[] = [];
    // 10 rows/s for a minute, then 1,000 rows/s.
    for (let t = 0; t <= 60; t += 5) samples = addSample(samples, { at: at(t), rows: t * 10 });
    for (let t = 65; t <= 80; t += 5) samples = addSample(samples, { at: at(t), rows: 600 + (t - 60) * 1_000 });
    const estimate = estimateTimeLeft({ state: 'loading', sources: sources(10_000, 10_600, [50_000, 50_000]) }, samples, at(80));
    // The window starts at 55 s (550 rows): 20,050 rows in 25 s, about 802 rows/s, 79,400 rows to go.
    expect(estimate).toEqual({ kind: 'known', seconds: expect.closeTo(79_400 / (20_050 / 25), 5) });
  });
});

describe('describeTimeLeft', () => {
  it('says "a few seconds" only when it is, and never less time than measured', () => {
    expect(describeTimeLeft({ kind: 'estimating' })).toBe('Estimating time left…');
    expect(describeTimeLeft({ kind: 'known', seconds: 3 })).toBe('A few seconds left');
    expect(describeTimeLeft({ kind: 'known', seconds: 7.2 })).toBe('About 8 s left');
    // The case: 17 s to go is not "a few seconds".
    expect(describeTimeLeft({ kind: 'known', seconds: 17 })).toBe('About 20 s left');
    expect(describeTimeLeft({ kind: 'known', seconds: 130 })).toBe('About 2 min left');
    expect(describeTimeLeft({ kind: 'known', seconds: 3 * 3600 })).toBe('About 3 h left');
  });
});

describe('addSample', () => {
  it('keeps the last 20 seconds, plus the sample just before them', () => {
    let samples = addSample([], { at: 0, rows: 0 });
    for (const at of [10_000, 25_000, 30_000]) samples = addSample(samples, { at, rows: at });
    expect(samples.map((s) => s.at)).toEqual([0, 10_000, 25_000, 30_000]);
    samples = addSample(samples, { at: 40_000, rows: 40_000 });
    expect(samples.map((s) => s.at)).toEqual([10_000, 25_000, 30_000, 40_000]);
  });
});

describe('progressFromRun', () => {
  const run: MaterializationRun = {
    id: 'run-1',
    state: 'loading',
    mode: 'full',
    sources: { forms: { rows_loaded: 5, rows_total: null }, cases: { rows_loaded: 100, rows_total: 100 } },
    error: null,
    started_at: '2026-03-12T10:00:00Z',
    completed_at: null,
    result: null,
    requested_by: 'Ada',
  };

  it('takes the first source not yet complete as the one loading', () => {
    expect(progressFromRun(run)).toMatchObject({ state: 'loading', source: 'forms', rows_loaded: 5, rows_total: null });
  });

  it('has no current source outside loading', () => {
    expect(progressFromRun({ ...run, state: 'transforming' }).source).toBeNull();
  });

  it('lists cases, forms and applications in loading order', () => {
    const sources = { applications: { rows_loaded: 1, rows_total: 1 }, forms: run.sources.forms!, cases: run.sources.cases! };
    expect(orderedSources(sources).map(([name]) => name)).toEqual(['cases', 'forms', 'applications']);
  });
});
