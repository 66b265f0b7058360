import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { buildSpec, chartRows, ChartConfigError, fieldRef, isoTimestamp, MAX_LABELLED_CATEGORIES, type ChartSpec } from './spec';
import { profileColumns } from './columns';
import { CHART_KINDS, type ChartConfig, type ChartData } from './types';

function result(columns: Array<[name: string, type: string]>, rows: unknown[][], truncated = false): ChartData {
  return { columns: columns.map(([name, type]) => ({ name, type })), rows, truncated };
}

const byType = result(
  [['case_type', 'text'], ['cases', 'bigint']],
  [['household', '120'], ['patient', '80'], ['referral', '12']],
);
const categories = (n: number, label = (i: number) => `district ${i}`) =>
  result([['district', 'text'], ['cases', 'bigint']], Array.from({ length: n }, (_, i) => [label(i), String(1000 - i)]));
const days = (n: number) =>
  result([['day', 'date'], ['forms', 'bigint']], Array.from({ length: n }, (_, i) => [new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10), String((i * 37) % 101)]));

/** A realistic result for each kind: what a model's SQL would return for it. */
const REALISTIC: Record<(typeof CHART_KINDS)[number], { chosen: ChartConfig; data: ChartData }> = {
  bar: {
    chosen: { kind: 'bar', x: 'district', y: 'cases', series: 'status' },
    data: result(
      [['district', 'text'], ['status', 'text'], ['cases', 'bigint']],
      [['Kisumu', 'open', '10'], ['Kisumu', 'closed', '4'], ['Nakuru', 'open', '7'], ['Nakuru', 'closed', '9'], ['Mombasa', 'open', '3']],
    ),
  },
  line: {
    chosen: { kind: 'line' },
    data: result(
      [['received_on', 'timestamp with time zone'], ['forms', 'bigint']],
      [['2024-01-01 00:00:00+00', '5'], ['2024-01-02 00:00:00+00', '8'], ['2024-01-03 00:00:00+00', '3']],
    ),
  },
  area: {
    chosen: { kind: 'area', series: 'status' },
    data: result(
      [['week', 'date'], ['status', 'text'], ['cases', 'integer']],
      [['2024-01-01', 'open', 3], ['2024-01-01', 'closed', 1], ['2024-01-08', 'open', 5], ['2024-01-08', 'closed', 2]],
    ),
  },
  scatter: {
    chosen: { kind: 'scatter' },
    data: result([['age_months', 'integer'], ['weight_kg', 'numeric(10,2)']], [[6, '7.40'], [12, '9.15'], [24, '12.05']]),
  },
  pie: { chosen: { kind: 'pie' }, data: byType },
  donut: { chosen: { kind: 'donut' }, data: byType },
  number: { chosen: { kind: 'number' }, data: result([['open_cases', 'bigint']], [['1042']]) },
  table: {
    chosen: { kind: 'table' },
    data: result(
      [['case_name', 'text'], ['village', 'text'], ['opened', 'timestamp with time zone'], ['closed', 'boolean']],
      [['Amina', 'Kisumu', '2024-01-02 10:00:00+00', false], ['Baraka', null, '2024-01-03 11:30:00+00', true]],
    ),
  },
};

/** Vega-Lite's warnings for a spec (a mistyped channel, a dropped property) as strings. */
function compileWarnings(spec: ChartSpec): string[] {
  const warnings: string[] = [];
  const logger = {
    level: () => logger,
    warn: (...args: unknown[]) => (warnings.push(args.join(' ')), logger),
    error: (...args: unknown[]) => (warnings.push(args.join(' ')), logger),
    info: () => logger,
    debug: () => logger,
  };
  compile(spec as unknown as TopLevelSpec, { logger: logger as unknown as NonNullable<Parameters<typeof compile>[1]>['logger'] });
  return warnings;
}

/** The spec drawn headless as SVG, as the server and the browser would draw it. */
async function drawn(spec: ChartSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile({ ...spec, width: 600, height: 300 } as TopLevelSpec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const encoding = (spec: ChartSpec) => spec.encoding as Record<string, Record<string, unknown>>;

/** The `d` of every path inside the SVG's mark groups (string search: a regular expression here would be polynomial). */
function markPaths(svg: string): string[] {
  const paths: string[] = [];
  for (let group = svg.indexOf('role-mark'); group !== -1; group = svg.indexOf('role-mark', group + 1)) {
    const end = svg.indexOf('</g>', group);
    for (const piece of svg.slice(group, end).split('<path ').slice(1)) {
      const start = piece.indexOf('d="M');
      if (start !== -1) paths.push(piece.slice(start + 3, piece.indexOf('"', start + 3)));
    }
  }
  return paths;
}

describe('the spec builder', () => {
  it("keeps the query's order with sort 'none', and sums a category that comes on several rows", () => {
    const data = result([['district', 'text'], ['cases', 'bigint']], [['Kisumu', '3'], ['Siaya', '5'], ['Kisumu', '4']]);
    const { spec } = buildSpec({ kind: 'bar', x: 'district', y: 'cases', sort: 'none' }, data);
    const encoding = spec.encoding as Record<string, { sort?: unknown; aggregate?: unknown }>;
    expect(encoding.x!.sort).toBeNull();
    expect(encoding.y!.aggregate).toBe('sum');
    expect((buildSpec({ kind: 'bar', x: 'district', y: 'cases' }, data).spec.encoding as Record<string, { sort?: unknown }>).x!.sort).toBe('-y');
  });

  it.each(CHART_KINDS)('builds a %s chart that Vega-Lite compiles without a warning and Vega draws', async (kind) => {
    const { chosen, data } = REALISTIC[kind];
    const { config, spec } = buildSpec(chosen, data);
    expect(config.kind).toBe(kind);
    expect(compileWarnings(spec)).toEqual([]);
    expect(await drawn(spec)).toContain(config.title);
  });

  it('titles a chart from its columns: "Cases by case type"', () => {
    const { config, spec } = buildSpec({ kind: 'bar' }, byType);
    expect(config.title).toBe('Cases by case type');
    expect(spec.title).toEqual({ text: 'Cases by case type', anchor: 'start' });
    expect(buildSpec({ kind: 'bar', title: '  Open cases  ' }, byType).config.title).toBe('Open cases');
    expect(buildSpec({ kind: 'bar', title: '   ' }, byType).config.title).toBe('Cases by case type');
    expect(buildSpec({ kind: 'scatter' }, REALISTIC.scatter.data).config.title).toBe('Weight kg against age months');
  });

  it('says under the title that a truncated result is drawn from its first rows only', () => {
    const { spec } = buildSpec({ kind: 'bar' }, { ...byType, truncated: true });
    expect((spec.title as { subtitle?: string }).subtitle).toBe('Drawn from the first 3 rows only: aggregate in SQL to chart them all.');
    expect(spec.description).toContain('first 3 rows');
    expect((buildSpec({ kind: 'bar' }, byType).spec.title as { subtitle?: string }).subtitle).toBeUndefined();
  });

  it('carries bigint and numeric text as numbers, and nulls as nulls', () => {
    const data = result([['village', 'text'], ['cases', 'bigint'], ['weight', 'numeric(10,2)']], [['Kisumu', '9007199254740', '7.40'], [null, null, '0.05']]);
    expect(buildSpec({ kind: 'bar', x: 'village', y: 'cases' }, data).spec.data).toEqual({
      values: [
        { village: 'Kisumu', cases: 9007199254740, weight: 7.4 },
        { village: null, cases: null, weight: 0.05 },
      ],
    });
  });

  it('writes PostgreSQL timestamps as ISO 8601 that JavaScript parses', () => {
    const data = result(
      [['at', 'timestamp with time zone'], ['n', 'integer']],
      [['2024-01-02 10:00:00+03', 1], ['2024-01-02 10:00:00.123456-05', 2], ['2024-01-02 10:00:00+05:30', 3], ['2024-01-02 10:00:00+0545', 4]],
    );
    const values = chartRows(data, profileColumns(data)).map((row) => row.at as string);
    expect(values).toEqual(['2024-01-02T10:00:00+03:00', '2024-01-02T10:00:00.123456-05:00', '2024-01-02T10:00:00+05:30', '2024-01-02T10:00:00+0545']);
    expect(values.map((v) => new Date(v).toISOString())).toEqual(['2024-01-02T07:00:00.000Z', '2024-01-02T15:00:00.123Z', '2024-01-02T04:30:00.000Z', '2024-01-02T04:15:00.000Z']);
  });

  it('keeps a date as a date, which JavaScript reads as UTC midnight', () => {
    expect(isoTimestamp('2024-01-02')).toBe('2024-01-02');
  });

  it('reads a timestamp without a zone as written on the UTC axis, in any time zone the browser is in', () => {
    expect(isoTimestamp('2024-01-02 00:00:00')).toBe('2024-01-02T00:00:00Z');
    expect(isoTimestamp('2024-01-02 10:00')).toBe('2024-01-02T10:00Z');
    const previous = process.env.TZ;
    process.env.TZ = 'Asia/Kolkata';
    try {
      expect(new Date(isoTimestamp('2024-01-02 00:00:00')).getTime()).toBe(Date.UTC(2024, 0, 2));
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
  });

  it('formats a tooltip time in UTC, as the axis is', () => {
    const compiled = JSON.stringify(compile(buildSpec({ kind: 'line' }, REALISTIC.line.data).spec as unknown as TopLevelSpec).spec);
    expect(compiled).toContain('utcFormat(datum[\\"received_on\\"]');
    expect(compiled).not.toContain('timeFormat(datum[\\"received_on\\"]');
  });

  it('leaves text that is not a date alone', () => {
    expect(isoTimestamp('infinity')).toBe('infinity');
  });

  it('escapes dots and brackets in column names so Vega-Lite reads them as one field, and draws them', async () => {
    expect(fieldRef('form.case.type')).toBe('form\\.case\\.type');
    expect(fieldRef('counts[0]')).toBe('counts\\[0\\]');
    expect(fieldRef('a\\b')).toBe('a\\\\b');
    const data = result([['form.case_type', 'text'], ['counts[all]', 'bigint']], [['household', '120'], ['patient', '80']]);
    const { spec } = buildSpec({ kind: 'bar' }, data);
    expect(encoding(spec).x).toMatchObject({ field: 'form\\.case_type', title: 'Form.case type' });
    expect(encoding(spec).y).toMatchObject({ field: 'counts\\[all\\]' });
    expect(compileWarnings(spec)).toEqual([]);
    const svg = await drawn(spec);
    expect(svg).toContain('>household<');
    expect(svg).toContain('>patient<');
    // Two bars of different heights: the values were read, not undefined.
    const bars = markPaths(svg);
    expect(bars).toHaveLength(2);
    expect(new Set(bars).size).toBe(2);
  });

  describe('refuses a choice the result cannot draw, naming the field', () => {
    const refusal = (chosen: ChartConfig, data: ChartData = byType) => {
      try {
        buildSpec(chosen, data);
      } catch (error) {
        expect(error).toBeInstanceOf(ChartConfigError);
        return { field: (error as ChartConfigError).field, message: (error as ChartConfigError).message };
      }
      throw new Error('buildSpec accepted the choice');
    };

    it('a column the result does not have', () => {
      expect(refusal({ kind: 'bar', x: 'district' })).toEqual({ field: 'x', message: "the result has no column 'district'; its columns are case_type, cases." });
      expect(refusal({ kind: 'bar', series: 'status' })).toMatchObject({ field: 'series' });
      expect(refusal({ kind: 'line', y: 'forms' })).toMatchObject({ field: 'y' });
    });

    it('text as the number to measure', () => {
      expect(refusal({ kind: 'bar', x: 'cases', y: 'case_type' })).toEqual({
        field: 'y',
        message: "must be a numeric column; 'case_type' is text. Cast it in SQL (e.g. case_type::numeric) or choose another.",
      });
    });

    it('a scatter with text across', () => {
      expect(refusal({ kind: 'scatter', x: 'case_type', y: 'cases' })).toEqual({ field: 'x', message: "a scatter chart plots two numbers; 'case_type' is text." });
    });

    it('a chart of a result with no number', () => {
      expect(refusal({ kind: 'bar' }, result([['case_name', 'text']], [['Amina']]))).toMatchObject({ field: 'y' });
    });
  });

  it('finds a column whatever its case', () => {
    expect(encoding(buildSpec({ kind: 'bar', x: 'CASE_TYPE', y: 'Cases' }, byType).spec).y).toMatchObject({ field: 'cases' });
  });

  it('sorts bars biggest first by default', () => {
    expect(encoding(buildSpec({ kind: 'bar', sort: '-y' }, byType).spec).x).toMatchObject({ field: 'case_type', sort: '-y' });
    expect(encoding(buildSpec({ kind: 'bar', sort: 'x' }, byType).spec).x).toMatchObject({ sort: 'ascending' });
  });

  it('stands up to 8 short categories upright and lays 9 down, sorted along the bars', () => {
    const upright = buildSpec({ kind: 'bar', sort: '-y' }, categories(8, (i) => `d${i}`)).spec;
    expect(encoding(upright).x).toMatchObject({ field: 'district', type: 'nominal', sort: '-y' });
    expect(encoding(upright).y).toMatchObject({ field: 'cases', type: 'quantitative' });

    const lying = buildSpec({ kind: 'bar', sort: '-y' }, categories(9, (i) => `d${i}`)).spec;
    expect(encoding(lying).y).toMatchObject({ field: 'district', type: 'nominal', sort: '-x' });
    expect(encoding(lying).x).toMatchObject({ field: 'cases', type: 'quantitative' });
  });

  it('lays bars down when a label is long', () => {
    const spec = buildSpec({ kind: 'bar' }, categories(3, (i) => `Sub-county health facility ${i}`)).spec;
    expect(encoding(spec).y).toMatchObject({ field: 'district', type: 'nominal' });
  });

  it(`hides the labels of more than ${MAX_LABELLED_CATEGORIES} categories and says how many there are`, async () => {
    const labelled = buildSpec({ kind: 'bar' }, categories(MAX_LABELLED_CATEGORIES)).spec;
    expect((encoding(labelled).y!.axis as Record<string, unknown>).labels).toBeUndefined();

    const crowded = buildSpec({ kind: 'bar' }, categories(MAX_LABELLED_CATEGORIES + 1)).spec;
    expect(encoding(crowded).x).toMatchObject({ field: 'district', axis: { labels: false, ticks: false, title: 'District (41 values, too many to label)' } });
    expect(compileWarnings(crowded)).toEqual([]);
    const svg = await drawn(crowded);
    expect(svg).not.toContain('>district 7<');
    expect(svg).toContain('District (41 values, too many to label)');
  });

  it('draws a long line straight and a short one curved, with points only on a short one', () => {
    const short = buildSpec({ kind: 'line' }, days(30)).spec;
    expect(short.mark).toMatchObject({ type: 'line', interpolate: 'monotone', point: true });
    const long = buildSpec({ kind: 'line' }, days(201)).spec;
    expect(long.mark).toMatchObject({ type: 'line', interpolate: 'linear', point: false });
    expect(encoding(long).x).toMatchObject({ field: 'day', type: 'temporal', scale: { type: 'utc' } });
  });

  it('stacks a series by default and groups it side by side when asked', () => {
    const { chosen, data } = REALISTIC.bar;
    expect(encoding(buildSpec(chosen, data).spec).y).toMatchObject({ stack: 'zero' });
    const grouped = buildSpec({ ...chosen, layout: 'grouped' }, data).spec;
    expect(encoding(grouped).y!.stack).toBeUndefined();
    expect(encoding(grouped).xOffset).toEqual({ field: 'status' });
    expect(encoding(grouped).color).toMatchObject({ field: 'status', type: 'nominal' });
  });

  it('draws a big number from the first row only, with thousands separated', async () => {
    const { spec } = buildSpec({ kind: 'number' }, result([['open_cases', 'bigint']], [['1042'], ['7']]));
    expect(spec.data).toEqual({ values: [{ open_cases: 1042 }] });
    expect(await drawn(spec)).toContain('>1,042<');
  });

  it('lists at most 20 rows and 6 columns in a table chart, nulls blank', () => {
    const columns = Array.from({ length: 8 }, (_, i) => [`c${i}`, 'text'] as [string, string]);
    const rows = Array.from({ length: 25 }, (_, r) => columns.map((_, c) => (c === 1 ? null : `r${r}c${c}`)));
    const { spec } = buildSpec({ kind: 'table' }, result(columns, rows));
    const values = (spec.data as { values: Array<{ row: number; column: string; value: string }> }).values;
    expect(values).toHaveLength(20 * 6);
    expect(new Set(values.map((v) => v.column))).toEqual(new Set(['c0', 'c1', 'c2', 'c3', 'c4', 'c5']));
    expect(values.find((v) => v.row === 1 && v.column === 'c1')!.value).toBe('');
  });

  it('names the server font when asked and fills its container otherwise', () => {
    expect(buildSpec({ kind: 'bar' }, byType).spec).toMatchObject({ width: 'container', height: 320 });
    expect(buildSpec({ kind: 'bar' }, byType, { width: 800, height: 450, font: 'Open Sans' }).spec).toMatchObject({ width: 800, height: 450, config: { font: 'Open Sans' } });
  });
});
