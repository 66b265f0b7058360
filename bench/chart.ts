/**
 * npm run bench:chart [-- --quick]
 *
 * What drawing a chart on the server costs: the `visualize` tool on one SQL
 * query plus renderChart of its spec as a PNG at the size an MCP client gets
 * (800×450), against the baseline of the `query` tool alone on the same SQL,
 * interleaved in this process. Two charts from real tables in the demo
 * domain's warehouse schema: a bar chart of 500 categories and a count, and
 * a line chart of 2,000 days and a count; 200 renders each (--quick: 20).
 * Reports renderChart alone (p50, p95), visualize+render minus query at p50,
 * peak RSS, RSS and the JS heap after a full GC at the start and after half
 * and all of the renders (they should stay flat), and where a render's time goes (vega-lite compile, vega parse,
 * dataflow + SVG, resvg + PNG).
 * Scout runs in this process on an embedded PostgreSQL (or DATABASE_URL),
 * with the demo domain of its built-in simulator synced.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { compile, type TopLevelSpec } from 'vega-lite';
import * as vega from 'vega';
import type { ToolEnvelope, VisualizeResult } from '../src/shared/tools';
import type { ChartSpec } from '../src/shared/charts/spec';
import { renderChart } from '../src/server/features/charts/render';
import { DEFAULT_IMAGE_SIZE } from '../src/server/features/mcp/tool-result';
import { ident } from '../src/server/platform/db/sql';
import { progressBar } from '../src/server/platform/progress-bar';
import { readOnlyRole } from '../src/server/features/warehouse/sql';
import { startDemoScout } from './support/demo-scout';

const quick = process.argv.includes('--quick');
const RENDERS = quick ? 20 : 200;
const WARM_UP = quick ? 3 : 10;
const BREAKDOWN_SAMPLES = quick ? 10 : 50;
const CATEGORIES = 500;
const DAYS = 2000;
const TARGET_MS = 50;
const SIZE = DEFAULT_IMAGE_SIZE;

const CHARTS = [
  { name: 'bar', kind: 'bar', rows: CATEGORIES, sql: 'SELECT category, cases FROM bench_chart_categories ORDER BY category' },
  { name: 'line', kind: 'line', rows: DAYS, sql: 'SELECT day, forms FROM bench_chart_days ORDER BY day' },
] as const;
type ChartName = (typeof CHARTS)[number]['name'];

interface Timing {
  p50: number;
  p95: number;
}

function percentiles(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: sorted[Math.floor(sorted.length * 0.5)]!, p95: sorted[Math.floor(sorted.length * 0.95)]! };
}

const mb = (bytes: number) => bytes / 2 ** 20;

// A full collection before each memory reading, so that growth means memory kept, not garbage not yet collected.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;
interface MemoryReading {
  renders: number;
  rssMb: number;
  /** After a full collection. */
  rssCollectedMb: number;
  heapCollectedMb: number;
}
async function readMemory(renders: number): Promise<MemoryReading> {
  const rssMb = mb(process.memoryUsage().rss);
  collectGarbage();
  // Native memory (resvg's pixmaps) goes when its JavaScript owner's finalizer runs, after the collection.
  await new Promise((resolve) => setTimeout(resolve, 50));
  collectGarbage();
  const after = process.memoryUsage();
  return { renders, rssMb, rssCollectedMb: mb(after.rss), heapCollectedMb: mb(after.heapUsed) };
}
const ms = (n: number) => n.toFixed(1);

const { scout, userId, membershipId, stop } = await startDemoScout('chart');
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
try {
  // A 2,000-row result must come back whole: the default cap is 500 rows.
  const ctx = { ...(await scout.services.tools.context(userId, membershipId, 'api')), maxRowsPerQuery: DAYS };
  const pool = scout.services.warehouse['deps'].warehouse;
  const schema = ident(ctx.schemaName);
  // Realistic shapes: counts that vary by category, and daily forms with a weekly rhythm and a trend.
  await pool.query(`
    CREATE TABLE ${schema}.bench_chart_categories AS
      SELECT 'Health facility ' || lpad(i::text, 3, '0') AS category, (20 + (i * 7919) % 480)::bigint AS cases FROM generate_series(1, ${CATEGORIES}) AS i;
    CREATE TABLE ${schema}.bench_chart_days AS
      SELECT (date '2019-01-01' + i) AS day, round(60 + i / 40.0 + 25 * sin(i * 2 * pi() / 7) + (i * 7919) % 17)::bigint AS forms FROM generate_series(0, ${DAYS - 1}) AS i;
    GRANT SELECT ON ${schema}.bench_chart_categories, ${schema}.bench_chart_days TO ${ident(readOnlyRole(ctx.schemaName))};
  `);

  const call = async <T>(tool: string, sql: string): Promise<T> => {
    const envelope: ToolEnvelope = await scout.services.tools.call(ctx, tool, { sql });
    if (!envelope.success) throw new Error(`${tool}: ${envelope.error.message}`);
    return envelope.data as T;
  };
  const visualize = async (chart: (typeof CHARTS)[number]): Promise<ChartSpec> => {
    const data = await call<VisualizeResult>('visualize', chart.sql);
    if (data.row_count !== chart.rows || data.truncated || data.chart?.kind !== chart.kind) {
      throw new Error(`visualize drew ${data.chart?.kind} of ${data.row_count} rows (truncated: ${data.truncated}); expected a ${chart.kind} of ${chart.rows}`);
    }
    return data.spec;
  };

  for (let i = 0; i < WARM_UP; i++) {
    for (const chart of CHARTS) {
      await call('query', chart.sql);
      await renderChart(await visualize(chart), SIZE);
    }
  }

  const samples = Object.fromEntries(CHARTS.map((c) => [c.name, { query: [] as number[], render: [] as number[], total: [] as number[] }])) as Record<
    ChartName,
    { query: number[]; render: number[]; total: number[] }
  >;
  const memory: MemoryReading[] = [await readMemory(0)];
  const bar = progressBar('renders'.padEnd(12));
  for (let i = 0; i < RENDERS; i++) {
    for (const chart of CHARTS) {
      const timeQuery = async () => {
        const started = performance.now();
        await call('query', chart.sql);
        samples[chart.name].query.push(performance.now() - started);
      };
      const timeChart = async () => {
        const started = performance.now();
        const spec = await visualize(chart);
        const rendering = performance.now();
        const image = await renderChart(spec, SIZE);
        const done = performance.now();
        if (image.width !== SIZE.width || image.height !== SIZE.height) throw new Error(`${chart.name}: drew ${image.width}×${image.height}`);
        samples[chart.name].render.push(done - rendering);
        samples[chart.name].total.push(done - started);
      };
      // Alternate which goes first, so neither always runs on a machine the other just warmed or dirtied.
      if (i % 2 === 0) {
        await timeQuery();
        await timeChart();
      } else {
        await timeChart();
        await timeQuery();
      }
    }
    if ((i + 1) % (RENDERS / 2) === 0) memory.push(await readMemory(i + 1));
    if (i % 10 === 0) bar.update(i, RENDERS);
  }
  bar.update(RENDERS, RENDERS);
  bar.done();

  // Where a render's time goes: its steps one by one as renderChart takes them, then renderChart whole; the PNG step (resvg) is what the whole took beyond the steps.
  const breakdown = {} as Record<ChartName, { compile: number; parse: number; svg: number; png: number; whole: number }>;
  for (const chart of CHARTS) {
    const spec = await visualize(chart);
    const sized = { ...(withoutTooltips(spec) as ChartSpec), width: SIZE.width, height: SIZE.height, autosize: { type: 'fit', contains: 'padding' }, background: 'white' } as TopLevelSpec;
    const steps = { compile: [] as number[], parse: [] as number[], svg: [] as number[], png: [] as number[], whole: [] as number[] };
    for (let i = 0; i < BREAKDOWN_SAMPLES; i++) {
      const started = performance.now();
      const compiled = compile(sized).spec;
      const compiledAt = performance.now();
      const runtime = vega.parse(compiled);
      const parsedAt = performance.now();
      const view = new vega.View(runtime, { renderer: 'none' });
      await view.toSVG();
      view.finalize();
      const drawnAt = performance.now();
      await renderChart(spec, SIZE);
      const whole = performance.now() - drawnAt;
      steps.compile.push(compiledAt - started);
      steps.parse.push(parsedAt - compiledAt);
      steps.svg.push(drawnAt - parsedAt);
      steps.whole.push(whole);
      steps.png.push(Math.max(0, whole - (drawnAt - started)));
    }
    const p50 = (key: keyof typeof steps) => percentiles(steps[key]).p50;
    breakdown[chart.name] = { compile: p50('compile'), parse: p50('parse'), svg: p50('svg'), png: p50('png'), whole: p50('whole') };
  }

  const all = (key: 'query' | 'render' | 'total') => CHARTS.flatMap((c) => samples[c.name][key]);
  const query = percentiles(all('query'));
  const render = percentiles(all('render'));
  const total = percentiles(all('total'));
  const perChart = Object.fromEntries(
    CHARTS.map((c) => [c.name, { query: percentiles(samples[c.name].query), render: percentiles(samples[c.name].render), total: percentiles(samples[c.name].total) }]),
  ) as Record<ChartName, { query: Timing; render: Timing; total: Timing }>;
  const overhead = total.p50 - query.p50;

  for (const chart of CHARTS) {
    const t = perChart[chart.name];
    const b = breakdown[chart.name];
    console.log(
      `${chart.name} (${chart.rows} rows, ${SIZE.width}×${SIZE.height} PNG, ${RENDERS} renders): query tool p50 ${ms(t.query.p50)} ms p95 ${ms(t.query.p95)} ms | visualize + render p50 ${ms(t.total.p50)} ms p95 ${ms(t.total.p95)} ms | render alone p50 ${ms(t.render.p50)} ms p95 ${ms(t.render.p95)} ms | overhead p50 ${ms(t.total.p50 - t.query.p50)} ms (ratio ${(t.total.p50 / t.query.p50).toFixed(2)}x)`,
    );
      console.log(`  where a ${chart.name} render goes (p50 of ${BREAKDOWN_SAMPLES}): vega-lite compile ${ms(b.compile)} ms, vega parse ${ms(b.parse)} ms, dataflow + SVG ${ms(b.svg)} ms, resvg + PNG ${ms(b.png)} ms (the whole beyond the steps) of ${ms(b.whole)} ms`);
  }
  console.log(`both charts: render p50 ${ms(render.p50)} ms p95 ${ms(render.p95)} ms; visualize + render p50 ${ms(total.p50)} ms against query p50 ${ms(query.p50)} ms: overhead ${ms(overhead)} ms (ratio ${(total.p50 / query.p50).toFixed(2)}x)`);
  const reading = (key: 'rssMb' | 'rssCollectedMb' | 'heapCollectedMb') => memory.map((m) => `${m[key].toFixed(0)}`).join(' -> ');
  console.log(
    `memory after ${memory.map((m) => m.renders).join(' / ')} renders of each: rss ${reading('rssMb')} MB; after a full GC rss ${reading('rssCollectedMb')} MB, JS heap ${reading('heapCollectedMb')} MB; peak rss ${mb(peakRss).toFixed(0)} MB`,
  );
  console.log(`target: rendering adds <= ${TARGET_MS} ms at p50: ${overhead <= TARGET_MS ? 'met' : 'over'} (${ms(overhead)} ms)`);
  console.log(
    `RESULT render_p50_ms=${ms(render.p50)} render_p95_ms=${ms(render.p95)} overhead_p50_ms=${ms(overhead)} peak_rss_mb=${mb(peakRss).toFixed(0)} ratio=${(total.p50 / query.p50).toFixed(2)} query_p50_ms=${ms(query.p50)} visualize_render_p50_ms=${ms(total.p50)} ` +
      CHARTS.map((c) => `${c.name}_render_p50_ms=${ms(perChart[c.name].render.p50)} ${c.name}_render_p95_ms=${ms(perChart[c.name].render.p95)} ${c.name}_overhead_p50_ms=${ms(perChart[c.name].total.p50 - perChart[c.name].query.p50)}`).join(' ') +
      ` rss_start_mb=${memory[0]!.rssMb.toFixed(0)} rss_half_mb=${memory[1]!.rssMb.toFixed(0)} rss_end_mb=${memory.at(-1)!.rssMb.toFixed(0)} heap_gc_start_mb=${memory[0]!.heapCollectedMb.toFixed(0)} heap_gc_end_mb=${memory.at(-1)!.heapCollectedMb.toFixed(0)} renders=${RENDERS}`,
  );
} finally {
  clearInterval(sampler);
  await stop();
}

/** As renderChart does before drawing: tooltips mean nothing in an image. */
function withoutTooltips(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTooltips);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'tooltip').map(([key, inner]) => [key, key === 'data' ? inner : withoutTooltips(inner)]));
}
