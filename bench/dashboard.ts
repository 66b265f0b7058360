/**
 * npm run bench:dashboard [-- --quick]
 *
 * A 12-tile dashboard on the demo domain (1,000 cases, 2,000 forms), opened
 * three ways in the same process, alternately:
 *   stored: GET …/data?source=stored, the last scheduled run (target p50 ≤ 100 ms);
 *   live:   GET …/data, every tile run now, concurrently within the member's query slots;
 *   serial: the same 12 queries one after another through the query tool over REST (the baseline);
 *   in-process serial: the 12 tiles' run_question calls one after another inside Scout, to tell
 *   the gain of running tiles at once from that of making one request instead of twelve.
 * Times are measured at the HTTP client on loopback (an upper bound of the server's time).
 */
import { progressBar } from '../src/server/platform/progress-bar';
import { startDemoScout } from './support/demo-scout';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 5 : 15;
const STORED_OPENS = quick ? 20 : 60;

const QUERIES: Array<[string, string]> = [
  ['Cases by type', 'SELECT case_type, count(*)::int AS cases FROM cases GROUP BY 1 ORDER BY 2 DESC'],
  ['Registrations by week', "SELECT date_trunc('week', date_opened)::date AS week, count(*)::int AS cases FROM cases GROUP BY 1 ORDER BY 1"],
  ['Open and closed', 'SELECT closed, count(*)::int AS cases FROM cases GROUP BY 1'],
  ['Cases per owner', 'SELECT owner_id, count(*)::int AS cases FROM cases GROUP BY 1 ORDER BY 2 DESC LIMIT 25'],
  ['Forms', 'SELECT count(*)::int AS forms FROM forms'],
  ['Forms by day', "SELECT date_trunc('day', received_on)::date AS day, count(*)::int AS forms FROM forms GROUP BY 1 ORDER BY 1"],
  ['Forms by name', 'SELECT form_name, count(*)::int AS forms FROM forms GROUP BY 1 ORDER BY 2 DESC'],
  ['Submitters', 'SELECT user_id, count(*)::int AS forms FROM forms GROUP BY 1 ORDER BY 2 DESC LIMIT 25'],
  ['Forms per case type', 'SELECT c.case_type, count(*)::int AS forms FROM forms f CROSS JOIN LATERAL unnest(f.case_ids) AS touched(case_id) JOIN cases c ON c.case_id = touched.case_id GROUP BY 1 ORDER BY 2 DESC'],
  ['Case properties', "SELECT key, count(*)::int AS cases FROM cases, jsonb_object_keys(properties) AS key GROUP BY 1 ORDER BY 2 DESC LIMIT 30"],
  ['Days to close', "SELECT case_type, round(avg(extract(epoch FROM date_closed - date_opened) / 86400)::numeric, 1) AS days FROM cases WHERE closed GROUP BY 1"],
  ['Latest forms', 'SELECT form_id, form_name, received_on FROM forms ORDER BY received_on DESC LIMIT 50'],
];

const { scout, client, membershipId, userId, stop } = await startDemoScout('dashboard', {}, { queryCapacity: { requestsPerMinute: 1_000_000 } });
const api = (path: string) => `/api/tenants/${membershipId}${path}`;

async function ok<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`${response.url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

const p50 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
};

try {
  const ids: string[] = [];
  for (const [title, sql] of QUERIES) ids.push((await ok<{ id: string }>(await client.post(api('/questions'), { title, sql }))).id);
  const tiles = ids.map((id, i) => ({ id: `t${i}`, kind: 'question', question_id: id, display: 'table', layout: { x: (i % 3) * 4, y: Math.floor(i / 3) * 4, w: 4, h: 4 } }));
  const dashboard = await ok<{ id: string }>(await client.post(api('/dashboards'), { title: 'Bench', tiles }));
  await ok(await client.request('PUT', api(`/dashboards/${dashboard.id}/schedule`), { every: 'day', at: '06:00', timezone: 'UTC' }));
  await ok(await client.post(api(`/dashboards/${dashboard.id}/schedule/run`)));

  const live = async () => {
    const data = await ok<{ tiles: Array<{ status: string; error?: { message: string } }> }>(await client.get(api(`/dashboards/${dashboard.id}/data`)));
    const failed = data.tiles.find((tile) => tile.status !== 'ok');
    if (failed) throw new Error(`a tile failed: ${failed.error?.message}`);
  };
  const serial = async () => {
    for (const [, sql] of QUERIES) {
      const envelope = await ok<{ success: boolean }>(await client.post(api('/tools/query'), { sql }));
      if (!envelope.success) throw new Error(`a query failed: ${JSON.stringify(envelope)}`);
    }
  };
  const stored = async () => {
    const data = await ok<{ source: string; tiles: unknown[] }>(await client.get(api(`/dashboards/${dashboard.id}/data?source=stored`)));
    if (data.source !== 'stored' || data.tiles.length !== QUERIES.length) throw new Error('the stored run is not the whole dashboard');
  };

  const ctx = await scout.services.tools.context(userId, membershipId, 'api');
  const inProcessSerial = async () => {
    for (const id of ids) {
      const envelope = await scout.services.tools.call(ctx, 'run_question', { id });
      if (!envelope.success) throw new Error(`a question failed: ${envelope.error.message}`);
    }
  };

  // Warm both paths (parser, type names, pooled connections) before measuring.
  await live();
  await serial();
  const liveTimes: number[] = [];
  const serialTimes: number[] = [];
  const inProcessTimes: number[] = [];
  const bar = progressBar('live vs serial'.padEnd(15));
  for (let round = 0; round < ROUNDS; round++) {
    liveTimes.push(await timed(live));
    serialTimes.push(await timed(serial));
    inProcessTimes.push(await timed(inProcessSerial));
    bar.update(round + 1, ROUNDS);
  }
  bar.done();
  const storedTimes: number[] = [];
  const storedBar = progressBar('stored opens'.padEnd(15));
  for (let i = 0; i < STORED_OPENS; i++) {
    storedTimes.push(await timed(stored));
    storedBar.update(i + 1, STORED_OPENS);
  }
  storedBar.done();

  const storedP50 = p50(storedTimes);
  const liveP50 = p50(liveTimes);
  const serialP50 = p50(serialTimes);
  const speedup = serialP50 / liveP50;
  const inProcessP50 = p50(inProcessTimes);
  console.log(`${QUERIES.length} tiles; stored open p50 ${storedP50.toFixed(1)} ms (target ≤ 100 ms)`);
  console.log(`live p50 ${liveP50.toFixed(1)} ms vs ${QUERIES.length} queries one after another ${serialP50.toFixed(1)} ms: ${speedup.toFixed(2)}× (target ≥ 1.5×)`);
  console.log(`the same tiles one after another inside Scout: ${inProcessP50.toFixed(1)} ms (${(inProcessP50 / liveP50).toFixed(2)}× the live run: the part concurrency alone buys)`);
  console.log(
    `RESULT tiles=${QUERIES.length} stored_p50_ms=${storedP50.toFixed(1)} live_p50_ms=${liveP50.toFixed(1)} serial_p50_ms=${serialP50.toFixed(1)} speedup=${speedup.toFixed(2)} inprocess_serial_p50_ms=${inProcessP50.toFixed(1)} concurrency_speedup=${(inProcessP50 / liveP50).toFixed(2)}`,
  );
} finally {
  await stop();
}
