import type { ChartData } from '@shared/charts/types';
import { describe, expect, it } from 'vitest';
import { chartFileName, drawChart, kindAvailability, opensOnChart, ownTitle, specHeight, withKind } from './chart-choices';

/** What `SELECT case_type, count(*) AS cases FROM cases GROUP BY case_type` returns (bigint arrives as text). */
const byType: ChartData = {
  columns: [
    { name: 'case_type', type: 'text' },
    { name: 'cases', type: 'bigint' },
  ],
  rows: [
    ['household', '600'],
    ['pregnancy', '250'],
    ['child', '150'],
  ],
};
const single: ChartData = { columns: [{ name: 'n', type: 'integer' }], rows: [[1000]] };
const names: ChartData = { columns: [{ name: 'name', type: 'text' }], rows: [['Ada'], ['Grace']] };

describe('drawChart', () => {
  it('draws a choice that fits the rows, filling in the columns it left out', () => {
    const drawn = drawChart({ kind: 'bar' }, byType);
    expect(drawn.ok).toBe(true);
    if (!drawn.ok) return;
    expect(drawn.config).toMatchObject({ kind: 'bar', x: 'case_type', y: 'cases' });
    expect(drawn.spec.width).toBe('container');
  });

  it("says which field is wrong instead of throwing when a choice doesn't fit", () => {
    expect(drawChart({ kind: 'bar', x: 'cases', y: 'case_type' }, byType)).toMatchObject({ ok: false, field: 'y', message: expect.stringContaining('numeric') });
    expect(drawChart({ kind: 'bar', y: 'nope' }, byType)).toMatchObject({ ok: false, field: 'y', message: expect.stringContaining("no column 'nope'") });
  });
});

describe('opensOnChart', () => {
  it('opens on the chart for pictures of the rows, on the table for a lone number or a table', () => {
    expect(opensOnChart({ kind: 'bar', x: 'case_type', y: 'cases' })).toBe(true);
    expect(opensOnChart({ kind: 'line' })).toBe(true);
    expect(opensOnChart({ kind: 'number', y: 'n' })).toBe(false);
    expect(opensOnChart({ kind: 'table' })).toBe(false);
  });
});

describe('withKind', () => {
  it('keeps the columns when they fit the new kind, and the sort starts afresh', () => {
    expect(withKind({ kind: 'bar', x: 'case_type', y: 'cases', sort: '-y', title: 'Cases by case type' }, 'pie', byType)).toEqual({ kind: 'pie', x: 'case_type', y: 'cases' });
    expect(withKind({ kind: 'pie', x: 'case_type', y: 'cases' }, 'bar', byType)).toEqual({ kind: 'bar', x: 'case_type', y: 'cases', sort: '-y' });
  });

  it("keeps a title the user wrote, but not Scout's made-up one", () => {
    expect(withKind({ kind: 'bar', x: 'case_type', y: 'cases', title: 'Our caseload' }, 'donut', byType)).toMatchObject({ title: 'Our caseload' });
    expect(withKind({ kind: 'bar', x: 'case_type', y: 'cases', title: 'Cases by case type' }, 'donut', byType).title).toBeUndefined();
  });

  it("drops a series the new kind can't show", () => {
    const split: ChartData = {
      columns: [
        { name: 'case_type', type: 'text' },
        { name: 'status', type: 'text' },
        { name: 'cases', type: 'bigint' },
      ],
      rows: [
        ['household', 'open', '5'],
        ['household', 'closed', '3'],
        ['child', 'open', '2'],
      ],
    };
    expect(withKind({ kind: 'bar', x: 'case_type', y: 'cases', series: 'status', layout: 'grouped' }, 'pie', split)).toEqual({ kind: 'pie', x: 'case_type', y: 'cases' });
    expect(withKind({ kind: 'bar', x: 'case_type', y: 'cases', series: 'status', layout: 'grouped' }, 'area', split)).toMatchObject({ series: 'status', layout: 'grouped' });
  });

  it('starts from Scout’s filling when there is nothing to carry over', () => {
    expect(withKind(null, 'bar', byType)).toEqual({ kind: 'bar', sort: '-y' });
  });
});

describe('kindAvailability', () => {
  it('offers every kind a category and a count can make, and says why not for the rest', () => {
    const available = kindAvailability({ kind: 'bar', x: 'case_type', y: 'cases' }, byType);
    expect(available).toMatchObject({ bar: null, line: null, area: null, pie: null, donut: null, table: null });
    expect(available.scatter).toMatch(/^A scatter chart plots two numbers/);
    expect(available.number).toBe('A number shows one value; this result has 3 rows.');
  });

  it('offers a big number for a single value, and only a table for rows without numbers', () => {
    expect(kindAvailability(null, single)).toMatchObject({ number: null, table: null });
    const text = kindAvailability(null, names);
    expect(text.table).toBeNull();
    expect(text.bar).toMatch(/needs a number/);
  });
});

describe('ownTitle', () => {
  it("tells a title someone wrote from the one Scout makes from the columns", () => {
    expect(ownTitle({ kind: 'bar', x: 'case_type', y: 'cases', title: 'Cases by case type' })).toBeUndefined();
    expect(ownTitle({ kind: 'bar', x: 'case_type', y: 'cases', title: '  Caseload  ' })).toBe('Caseload');
    expect(ownTitle({ kind: 'bar', x: 'case_type', y: 'cases' })).toBeUndefined();
  });
});

describe('chartFileName', () => {
  it('names the file after the title, safely', () => {
    expect(chartFileName('Cases by case type', 'png')).toBe('cases-by-case-type.png');
    expect(chartFileName('Visits / week (2024): "all"', 'svg')).toBe('visits-week-2024-all.svg');
    expect(chartFileName('Ménages à Dakar', 'png')).toBe('ménages-à-dakar.png');
    expect(chartFileName('../../', 'png')).toBe('chart.png');
    expect(chartFileName(undefined, 'svg')).toBe('chart.svg');
  });
});

describe('specHeight', () => {
  it("is the spec's height, or buildSpec's default", () => {
    expect(specHeight({ $schema: 'x', height: 200 })).toBe(200);
    expect(specHeight({ $schema: 'x', height: 'container' })).toBe(320);
  });
});
