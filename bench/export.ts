/**
 * npm run bench:export [-- --quick]
 *
 * A CSV export of a whole case table (1,000,000 rows; --quick: 100,000)
 * through the API (HTTP on loopback → the export route → the parser, the
 * read-only role, COPY, the record counter → the streamed response) against
 * the baseline `COPY (SELECT …) TO STDOUT` with plain pg on the same
 * database, in the same run, alternately, best of three each. Memory: the
 * process's peak RSS growth while the API export runs.
 */
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { progressBar } from '../src/server/platform/progress-bar';
import { startDemoScout } from './support/demo-scout';

const quick = process.argv.includes('--quick');
const ROWS = quick ? 100_000 : 1_000_000;
const ROUNDS = 3;

const { scout, client, membershipId, userId, databaseUrl, stop } = await startDemoScout('export', {}, { exportLimits: { maxRows: ROWS + 10, maxBytes: 8 * 1024 ** 3, timeoutMs: 30 * 60_000 } });
try {
  const ctx = await scout.services.tools.context(userId, membershipId, 'api');
  const pool = scout.services.warehouse['deps'].warehouse as pg.Pool;
  const table = `"${ctx.schemaName}".cases`;

  // The demo's cases, copied over and over (new ids) until the table holds ROWS.
  const fill = progressBar('filling cases'.padEnd(14));
  for (;;) {
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    const have = rows[0]!.n;
    fill.update(have, ROWS);
    if (have >= ROWS) break;
    await pool.query(
      `INSERT INTO ${table} SELECT md5(case_id || random()::text), case_type, case_name, external_id, owner_id, date_opened, last_modified, server_last_modified, indexed_on, closed, date_closed, indices, properties FROM ${table} LIMIT $1`,
      [ROWS - have],
    );
  }
  fill.done();
  await pool.query(`ANALYZE ${table}`);
  const SQL = 'SELECT * FROM cases';

  /** Drains a stream, counting bytes, with RSS sampled every 50 ms. */
  const drain = () => {
    let bytes = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done();
      },
    });
    return { sink, bytes: () => bytes };
  };

  const baseline = async () => {
    const conn = new pg.Client({ connectionString: databaseUrl });
    await conn.connect();
    try {
      const { sink, bytes } = drain();
      const started = performance.now();
      await pipeline(conn.query(copyTo(`COPY (SELECT * FROM ${table}) TO STDOUT WITH (FORMAT csv, HEADER true)`)), sink);
      return { seconds: (performance.now() - started) / 1000, bytes: bytes() };
    } finally {
      await conn.end();
    }
  };

  const viaApi = async () => {
    const startRss = process.memoryUsage().rss;
    let peakRss = startRss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    const started = performance.now();
    try {
      const response = await client.post(`/api/tenants/${membershipId}/exports`, { sql: SQL, format: 'csv' });
      if (response.status !== 200) throw new Error(`export answered ${response.status}: ${await response.text()}`);
      let bytes = 0;
      const bar = progressBar('api export'.padEnd(14));
      const expected = ROWS * 600;
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        if (bytes % (16 * 1024 * 1024) < chunk.length) bar.update(Math.min(bytes, expected), expected);
      }
      bar.done();
      const status = (await (await client.get(`/api/tenants/${membershipId}/exports/${response.headers.get('x-scout-export-id')}`)).json()) as { rows: number; state: string };
      return { seconds: (performance.now() - started) / 1000, bytes, rows: status.rows, state: status.state, rssGrowthMb: (peakRss - startRss) / 1024 / 1024 };
    } finally {
      clearInterval(sampler);
    }
  };

  const baselines: Array<Awaited<ReturnType<typeof baseline>>> = [];
  const exports: Array<Awaited<ReturnType<typeof viaApi>>> = [];
  for (let round = 0; round < ROUNDS; round++) {
    baselines.push(await baseline());
    exports.push(await viaApi());
    console.log(`round ${round + 1}: baseline ${baselines.at(-1)!.seconds.toFixed(2)} s, api ${exports.at(-1)!.seconds.toFixed(2)} s (${exports.at(-1)!.state}, ${exports.at(-1)!.rows} rows)`);
  }
  const best = <T extends { seconds: number }>(runs: T[]) => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const base = best(baselines);
  const api = best(exports);
  if (api.rows !== ROWS || api.state !== 'completed') throw new Error(`the export wrote ${api.rows} rows (${api.state}), expected ${ROWS}`);
  const rowsPerSecond = ROWS / api.seconds;
  const baselineRowsPerSecond = ROWS / base.seconds;
  const peakGrowth = Math.max(...exports.map((e) => e.rssGrowthMb));
  console.log(`${ROWS.toLocaleString('en')} rows, ${(api.bytes / 1024 / 1024).toFixed(0)} MB of CSV (baseline ${(base.bytes / 1024 / 1024).toFixed(0)} MB)`);
  console.log(`api export ${Math.round(rowsPerSecond).toLocaleString('en')} rows/s vs COPY baseline ${Math.round(baselineRowsPerSecond).toLocaleString('en')} rows/s: ${((rowsPerSecond / baselineRowsPerSecond) * 100).toFixed(0)}% (target >= 70%); peak RSS growth ${peakGrowth.toFixed(1)} MB (target <= 50)`);
  console.log(
    `RESULT rows=${ROWS} rows_per_s=${Math.round(rowsPerSecond)} baseline_rows_per_s=${Math.round(baselineRowsPerSecond)} fraction=${(rowsPerSecond / baselineRowsPerSecond).toFixed(2)} peak_rss_growth_mb=${peakGrowth.toFixed(1)}`,
  );
} finally {
  await stop();
}
