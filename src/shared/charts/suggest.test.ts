import { describe, expect, it } from 'vitest';
import { profileColumns } from './columns';
import { completeChart, suggestChart } from './suggest';
import type { ChartData } from './types';

/** A result as the query tool returns it: columns with PostgreSQL's type names, rows of values (bigint and numeric as text). */
function result(columns: Array<[name: string, type: string]>, rows: unknown[][]): ChartData {
  return { columns: columns.map(([name, type]) => ({ name, type })), rows };
}

const weekly = result(
  [['week', 'date'], ['cases', 'bigint']],
  [['2024-01-01', '12'], ['2024-01-08', '30'], ['2024-01-15', '21']],
);
const byType = result(
  [['case_type', 'text'], ['cases', 'bigint']],
  [['household', '120'], ['patient', '80'], ['referral', '12']],
);
const byDistrictAndStatus = result(
  [['district', 'text'], ['status', 'text'], ['cases', 'integer']],
  [['Kisumu', 'open', 10], ['Kisumu', 'closed', 4], ['Nakuru', 'open', 7], ['Nakuru', 'closed', 9], ['Mombasa', 'open', 3], ['Mombasa', 'closed', 1]],
);
const ageAndWeight = result(
  [['age_months', 'integer'], ['weight_kg', 'numeric(10,2)']],
  [[6, '7.40'], [12, '9.15'], [24, '12.05']],
);

describe('the suggested chart', () => {
  it('draws a date and a number as a line in time order', () => {
    expect(suggestChart(weekly)).toEqual({ kind: 'line', x: 'week', y: 'cases', sort: 'x' });
  });

  it('draws a category and a number as bars, biggest first', () => {
    expect(suggestChart(byType)).toEqual({ kind: 'bar', x: 'case_type', y: 'cases', sort: '-y' });
  });

  it('stacks a second, low-cardinality category as the series of the bars', () => {
    expect(suggestChart(byDistrictAndStatus)).toEqual({ kind: 'bar', x: 'district', y: 'cases', series: 'status', layout: 'stacked', sort: '-y' });
  });

  it('puts the category with more values along the axis whichever column comes first', () => {
    const swapped = result(
      [['status', 'text'], ['district', 'text'], ['cases', 'integer']],
      byDistrictAndStatus.rows.map(([district, status, cases]) => [status, district, cases]),
    );
    expect(suggestChart(swapped)).toMatchObject({ kind: 'bar', x: 'district', series: 'status' });
  });

  it('does not split by a category with too many values to colour', () => {
    const rows = Array.from({ length: 24 }, (_, i) => [`district ${i % 12}`, `village ${i}`, i]);
    const chart = suggestChart(result([['district', 'text'], ['village', 'text'], ['cases', 'integer']], rows));
    expect(chart).toEqual({ kind: 'bar', x: 'village', y: 'cases', sort: '-y' });
  });

  it('splits a line by a low-cardinality category', () => {
    const rows = [['2024-01-01', 'open', '3'], ['2024-01-01', 'closed', '1'], ['2024-01-08', 'open', '5'], ['2024-01-08', 'closed', '2']];
    expect(suggestChart(result([['week', 'date'], ['status', 'text'], ['cases', 'bigint']], rows))).toEqual({ kind: 'line', x: 'week', y: 'cases', series: 'status', sort: 'x' });
  });

  it('plots two numbers against each other', () => {
    expect(suggestChart(ageAndWeight)).toEqual({ kind: 'scatter', x: 'age_months', y: 'weight_kg' });
  });

  it('shows a single number as a big number', () => {
    expect(suggestChart(result([['cases', 'bigint']], [['1042']]))).toEqual({ kind: 'number', y: 'cases' });
  });

  it('shows a single row of a label and a number as the number', () => {
    expect(suggestChart(result([['case_type', 'text'], ['cases', 'bigint']], [['household', '120']]))).toEqual({ kind: 'number', y: 'cases' });
  });

  it('shows no rows as a table', () => {
    expect(suggestChart(result([['case_type', 'text'], ['cases', 'bigint']], []))).toEqual({ kind: 'table' });
  });

  it('shows text without a number as a table', () => {
    const names = result([['case_name', 'text'], ['village', 'text']], [['Amina', 'Kisumu'], ['Baraka', 'Nakuru']]);
    expect(suggestChart(names)).toEqual({ kind: 'table' });
  });

  it('draws text holding only ISO dates (e.g. from to_char) as a line', () => {
    const days = result([['day', 'text'], ['forms', 'bigint']], [['2024-03-01', '4'], ['2024-03-02', '9'], ['2024-03-03', '6']]);
    expect(profileColumns(days)[0]!.role).toBe('temporal');
    expect(suggestChart(days)).toEqual({ kind: 'line', x: 'day', y: 'forms', sort: 'x' });
  });

  it('treats text with one non-date value as categories', () => {
    const mixed = result([['day', 'text'], ['forms', 'bigint']], [['2024-03-01', '4'], ['unknown', '9']]);
    expect(profileColumns(mixed)[0]!.role).toBe('nominal');
    expect(suggestChart(mixed)).toMatchObject({ kind: 'bar', x: 'day' });
  });

  it.each(['timestamp with time zone', 'timestamp without time zone', 'timestamp(3) with time zone', 'date'])('draws %s and a number as a line', (type) => {
    const at = type === 'date' ? ['2024-01-01', '2024-01-02'] : ['2024-01-01 10:00:00+00', '2024-01-02 10:00:00.123+00'];
    const data = result([['received_on', type], ['forms', 'bigint']], [[at[0], '3'], [at[1], '4']]);
    expect(profileColumns(data)[0]!.role).toBe('temporal');
    expect(suggestChart(data)).toEqual({ kind: 'line', x: 'received_on', y: 'forms', sort: 'x' });
  });

  it('reads numeric(10,2) as a fractional number and bigint as a whole one', () => {
    const [, weight] = profileColumns(ageAndWeight);
    expect(weight).toMatchObject({ role: 'quantitative', integer: false });
    const [, cases] = profileColumns(byType);
    expect(cases).toMatchObject({ role: 'quantitative', integer: true, distinct: 3 });
  });

  it('counts nulls apart from distinct values', () => {
    const data = result([['village', 'text'], ['cases', 'bigint']], [['Kisumu', '1'], [null, '2'], ['Kisumu', null]]);
    expect(profileColumns(data)).toEqual([
      { name: 'village', type: 'text', role: 'nominal', distinct: 1, nulls: 1, integer: false },
      { name: 'cases', type: 'bigint', role: 'quantitative', distinct: 2, nulls: 1, integer: true },
    ]);
  });
});

describe('completing a chosen chart', () => {
  it('fills both axes of a bar from the suggestion, biggest first', () => {
    expect(completeChart({ kind: 'bar' }, byType)).toEqual({ kind: 'bar', x: 'case_type', y: 'cases', sort: '-y' });
  });

  it('fills the time axis of a line and orders it by time', () => {
    expect(completeChart({ kind: 'line', y: 'cases' }, weekly)).toEqual({ kind: 'line', x: 'week', y: 'cases', sort: 'x' });
    expect(completeChart({ kind: 'area' }, weekly)).toEqual({ kind: 'area', x: 'week', y: 'cases', sort: 'x' });
  });

  it('keeps a sort the chooser gave a line', () => {
    expect(completeChart({ kind: 'line', sort: '-y' }, weekly)).toMatchObject({ sort: '-y' });
  });

  it('draws a line over categories when there is no time', () => {
    expect(completeChart({ kind: 'line' }, byType)).toEqual({ kind: 'line', x: 'case_type', y: 'cases', sort: 'x' });
  });

  it('fills a scatter with the other number, whichever the chooser took', () => {
    expect(completeChart({ kind: 'scatter' }, ageAndWeight)).toEqual({ kind: 'scatter', x: 'age_months', y: 'weight_kg' });
    expect(completeChart({ kind: 'scatter', y: 'age_months' }, ageAndWeight)).toEqual({ kind: 'scatter', x: 'weight_kg', y: 'age_months' });
  });

  it('fills a pie with the category and the number', () => {
    expect(completeChart({ kind: 'pie' }, byType)).toEqual({ kind: 'pie', x: 'case_type', y: 'cases' });
  });

  it('keeps an axis the chooser gave and measures the number', () => {
    expect(completeChart({ kind: 'bar', x: 'status' }, byDistrictAndStatus)).toEqual({ kind: 'bar', x: 'status', y: 'cases', sort: '-y' });
  });

  it('fills only the number of a big number', () => {
    expect(completeChart({ kind: 'number' }, byType)).toEqual({ kind: 'number', y: 'cases' });
  });

  it('leaves the number out when the only one is taken for the axis (the spec builder then says so)', () => {
    expect(completeChart({ kind: 'bar', x: 'cases' }, byType)).toEqual({ kind: 'bar', x: 'cases', y: undefined, sort: '-y' });
  });

  it('keeps title, series and layout as chosen', () => {
    const chosen = { kind: 'bar', x: 'district', series: 'status', layout: 'grouped', title: 'Open and closed' } as const;
    expect(completeChart(chosen, byDistrictAndStatus)).toEqual({ ...chosen, y: 'cases', sort: '-y' });
  });
});
