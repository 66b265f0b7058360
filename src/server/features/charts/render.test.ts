import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSpec, type ChartSpec } from '../../../shared/charts/spec';
import type { ChartConfig, ChartData } from '../../../shared/charts/types';
import { latinOnly, renderChart } from './render';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The PNG's own idea of its size: the IHDR chunk, first after the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function result(columns: Array<[name: string, type: string]>, rows: unknown[][]): ChartData {
  return { columns: columns.map(([name, type]) => ({ name, type })), rows };
}

const day = (i: number) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10);
const CHARTS: Array<{ chosen: ChartConfig; data: ChartData; title: string }> = [
  {
    chosen: { kind: 'bar', series: 'status' },
    data: result(
      [['facility', 'text'], ['status', 'text'], ['cases', 'bigint']],
      Array.from({ length: 12 }, (_, i) => [`Health facility ${i}`, i % 2 ? 'open' : 'closed', String(10 + i * 7)]),
    ),
    title: 'Cases by facility and status',
  },
  { chosen: { kind: 'line' }, data: result([['day', 'date'], ['forms', 'bigint']], Array.from({ length: 90 }, (_, i) => [day(i), String((i * 37) % 101)])), title: 'Forms by day' },
  { chosen: { kind: 'pie' }, data: result([['case_type', 'text'], ['cases', 'bigint']], [['household', '120'], ['patient', '80'], ['referral', '12']]), title: 'Cases by case type' },
  { chosen: { kind: 'number' }, data: result([['open_cases', 'bigint']], [['1042']]), title: 'Open cases' },
  {
    chosen: { kind: 'table' },
    data: result([['case_name', 'text'], ['village', 'text']], [['Amina', 'Kisumu'], ['Baraka', 'Nakuru']]),
    title: 'Result',
  },
];

describe('a chart drawn on the server', () => {
  it.each(CHARTS.flatMap((chart) => [{ ...chart, size: { width: 800, height: 450 } }, { ...chart, size: { width: 333, height: 217 } }]))(
    'is a $chosen.kind chart of exactly $size.width×$size.height pixels, titled',
    async ({ chosen, data, title, size }) => {
      const { spec } = buildSpec(chosen, data);
      const chart = await renderChart(spec, size);
      expect(pngSize(chart.png)).toEqual(size);
      expect({ width: chart.width, height: chart.height }).toEqual(size);
      expect(chart.svg).toMatch(/^<svg /);
      expect(chart.svg).toContain(`>${title}<`);
    },
  );

  it('draws the values it was given', async () => {
    const { svg } = await renderChart(buildSpec(CHARTS[3]!.chosen, CHARTS[3]!.data).spec, { width: 400, height: 300 });
    expect(svg).toContain('>1,042<');
    const bars = await renderChart(buildSpec(CHARTS[0]!.chosen, CHARTS[0]!.data).spec, { width: 800, height: 450 });
    expect(bars.svg.match(/aria-roledescription="bar"/g)).toHaveLength(12);
    const table = await renderChart(buildSpec(CHARTS[4]!.chosen, CHARTS[4]!.data).spec, { width: 400, height: 300 });
    for (const cell of ['Amina', 'Kisumu', 'Baraka', 'Nakuru']) expect(table.svg).toContain(`>${cell}<`);
  });

  it('draws labels in Arabic and Devanagari', async () => {
    const data = result([['district', 'text'], ['cases', 'bigint']], [['القاهرة', '40'], ['मुंबई', '25'], ['Nairobi', '12']]);
    const { spec } = buildSpec({ kind: 'bar', title: 'الحالات حسب المنطقة' }, data);
    const chart = await renderChart(spec, { width: 640, height: 360 });
    expect(pngSize(chart.png)).toEqual({ width: 640, height: 360 });
    for (const text of ['القاهرة', 'मुंबई', 'الحالات حسب المنطقة']) expect(chart.svg).toContain(text);
  });

  it('knows which labels its bundled Latin font covers', () => {
    expect(latinOnly('Cases by district — São Tomé, Łódź, Ελλάδα, Україна, Việt Nam €5 ™')).toBe(true);
    expect(latinOnly('القاهرة')).toBe(false);
    expect(latinOnly('मुंबई')).toBe(false);
    expect(latinOnly('東京')).toBe(false);
  });

  describe('loads nothing from outside', () => {
    let server: http.Server;
    let base: string;
    const requests: string[] = [];

    beforeAll(async () => {
      server = http.createServer((request, response) => {
        requests.push(request.url ?? '');
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify([{ case_type: 'loaded from outside', cases: 99 }]));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    // The allow-list refuses data.url before a spec gets here; the renderer's loader refuses it again. It resolves, drawing no data.
    it('draws a spec whose data is a URL with no data, and fetches nothing', async () => {
      const spec = {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: 'Outside data',
        data: { url: `${base}/cases.json` },
        mark: 'bar',
        encoding: { x: { field: 'case_type', type: 'nominal' }, y: { field: 'cases', type: 'quantitative' } },
      } as ChartSpec;
      const chart = await renderChart(spec, { width: 400, height: 300 });
      expect(pngSize(chart.png)).toEqual({ width: 400, height: 300 });
      expect(chart.svg).toContain('>Outside data<');
      expect(chart.svg).not.toContain('loaded from outside');
      expect(chart.svg).toContain('for a discrete scale with 0 values');
      expect(chart.svg).not.toContain('aria-roledescription="bar"');
      expect(requests).toEqual([]);
    });

    it('draws an image mark without its image, and fetches nothing', async () => {
      const spec = {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        data: { values: [{ x: 1, y: 1, picture: `${base}/picture.png` }] },
        mark: { type: 'image', width: 40, height: 40 },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, url: { field: 'picture', type: 'nominal' } },
      } as ChartSpec;
      const chart = await renderChart(spec, { width: 300, height: 200 });
      expect(chart.svg).toContain('<image ');
      expect(chart.svg).toContain('xlink:href=""');
      expect(requests).toEqual([]);
    });
  });
});
