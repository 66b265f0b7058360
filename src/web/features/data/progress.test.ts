import type { MaterializationRun, RunProgressEvent } from '@shared/warehouse';
import { describe, expect, it } from 'vitest';
import { addSample, describeStep, estimateTimeLeft, orderedSources, percentDone, progressFromRun, sourcesToShow } from './progress';

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
  it('divides the rows still to load by the rate observed', () => {
    // 1,000 rows a second; 287,655 rows to go.
    const samples = [
      { at: 0, rows: 10_345 },
      { at: 2_000, rows: 12_345 },
    ];
    expect(estimateTimeLeft(loading(), samples)).toEqual({ seconds: 287.655, source: null });
  });

  it('covers only the current source while another total is unknown, or another source has not started', () => {
    const progress = loading({ sources: { cases: { rows_loaded: 12_345, rows_total: 100_000 }, forms: { rows_loaded: 0, rows_total: null } } });
    const samples = [
      { at: 0, rows: 10_345 },
      { at: 2_000, rows: 12_345 },
    ];
    expect(estimateTimeLeft(progress, samples)).toEqual({ seconds: 87.655, source: 'cases' });
    const formsNotStarted = loading({ sources: { cases: { rows_loaded: 12_345, rows_total: 100_000 } } });
    expect(estimateTimeLeft(formsNotStarted, samples)).toEqual({ seconds: 87.655, source: 'cases' });
    const casesDone = loading({ rows_loaded: 100_000, sources: { cases: { rows_loaded: 100_000, rows_total: 100_000 } } });
    expect(estimateTimeLeft(casesDone, samples)).toBeNull();
  });

  it('says nothing before a couple of seconds of progress, or when nothing moved', () => {
    expect(estimateTimeLeft(loading(), [{ at: 0, rows: 0 }, { at: 500, rows: 5_000 }])).toBeNull();
    expect(estimateTimeLeft(loading(), [{ at: 0, rows: 12_345 }, { at: 5_000, rows: 12_345 }])).toBeNull();
    expect(estimateTimeLeft(loading({ state: 'transforming' }), [{ at: 0, rows: 0 }, { at: 5_000, rows: 5_000 }])).toBeNull();
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
