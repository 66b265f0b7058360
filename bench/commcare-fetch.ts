/**
 * npm run bench:commcare-fetch [-- --quick]
 *
 * Fetches every case of a domain from a local CommCare HQ simulator (a
 * separate process, so its memory is not counted) with Scout's client, over
 * case API v2 (cursor) and v0.5 (keyset), and reports pages/s, records/s and
 * the client process's peak RSS. Baseline, measured in the same run: the
 * plain loop a script would write (fetch a page, parse it, follow `next`),
 * with the same page size. Ratios above 1 mean the client is faster.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { CommCareClient } from '../src/server/features/commcare';
import { fileURLToPath } from 'node:url';
import { findFreePort } from '../src/server/platform/net';
import { progressBar } from '../src/server/platform/progress-bar';

const APP_ROOT = fileURLToPath(new URL('..', import.meta.url));
const quick = process.argv.includes('--quick');
const CASES = quick ? 10_000 : 100_000;
const PAGE_SIZE = 1000;
const DOMAIN = 'bench-domain';
const AUTH = 'ApiKey demo@example.com:demo-key';

const port = await findFreePort();
const base = `http://127.0.0.1:${port}`;
const simulator = spawn(
  process.execPath,
  [path.join(APP_ROOT, 'bin/scout.mjs'), 'simulate', '--port', String(port), '--cases', String(CASES), '--forms-per-case', '0', '--domains', DOMAIN, '--rate-limit', 'off'],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
await new Promise<void>((resolve, reject) => {
  simulator.stdout.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('listening')) resolve();
  });
  simulator.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
});

interface Run {
  records: number;
  pages: number;
  seconds: number;
  peakRssMb: number;
}

/** Runs `work`, sampling RSS while it runs. */
async function measure(label: string, work: (progress: (done: number, total?: number) => void) => Promise<{ records: number; pages: number }>): Promise<Run> {
  global.gc?.();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const bar = progressBar(label.padEnd(14));
  const started = performance.now();
  const { records, pages } = await work((done, total) => bar.update(done, total ?? CASES));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  bar.done();
  if (records !== CASES) throw new Error(`${label}: expected ${CASES} records, got ${records}`);
  return { records, pages, seconds, peakRssMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20 };
}

/** The baseline: serial pages, no prefetch, no retries. */
async function plainLoop(firstPath: string, read: (body: Record<string, unknown>) => { count: number; next: string | null }, progress: (n: number) => void) {
  let url: string | null = `${base}${firstPath}`;
  let records = 0;
  let pages = 0;
  while (url) {
    const response: Response = await fetch(url, { headers: { authorization: AUTH } });
    const page = read((await response.json()) as Record<string, unknown>);
    records += page.count;
    pages++;
    progress(records);
    url = page.next ? new URL(page.next, url).toString() : null;
  }
  return { records, pages };
}

const client = new CommCareClient({ baseUrl: base, credentials: { kind: 'api_key', username: 'demo@example.com', apiKey: 'demo-key' } });
async function drain(pages: AsyncIterable<{ records: unknown[]; loaded: number; total: number | undefined }>, progress: (done: number, total?: number) => void) {
  let count = 0;
  let records = 0;
  for await (const page of pages) {
    count++;
    records += page.records.length;
    progress(page.loaded, page.total);
  }
  return { records, pages: count };
}

try {
  // Warm both code paths up (JIT, connection pool) so neither side pays for it in the figures.
  for await (const page of client.cases(DOMAIN, { pageSize: PAGE_SIZE })) if (page.loaded >= 3 * PAGE_SIZE) break;
  await fetch(`${base}/a/${DOMAIN}/api/v0.5/case/?limit=${PAGE_SIZE}`, { headers: { authorization: AUTH } }).then((r) => r.json());
  const results = {
    baselineV2: await measure('baseline v2', (p) =>
      plainLoop(`/a/${DOMAIN}/api/case/v2/?limit=${PAGE_SIZE}`, (b) => ({ count: (b.cases as unknown[]).length, next: (b.next as string | undefined) ?? null }), p),
    ),
    clientV2: await measure('client v2', (p) => drain(client.cases(DOMAIN, { pageSize: PAGE_SIZE }), p)),
    baselineV05: await measure('baseline v0.5', (p) =>
      plainLoop(`/a/${DOMAIN}/api/v0.5/case/?limit=${PAGE_SIZE}`, (b) => ({ count: (b.objects as unknown[]).length, next: (b.meta as { next: string | null }).next }), p),
    ),
    clientV05: await measure('client v0.5', (p) => drain(client.casesV05(DOMAIN, { pageSize: PAGE_SIZE }), p)),
  };
  const rate = (r: Run) => r.records / r.seconds;
  const line = (name: string, r: Run, baseline: Run) =>
    console.log(
      `${name.padEnd(24)} ${r.pages} pages in ${r.seconds.toFixed(2)} s: ${(r.pages / r.seconds).toFixed(1)} pages/s, ${Math.round(rate(r))} records/s, peak RSS ${r.peakRssMb.toFixed(0)} MB, ${(rate(r) / rate(baseline)).toFixed(2)}x baseline`,
    );
  console.log(`${CASES} cases, ${PAGE_SIZE} per page, simulator in a separate process`);
  line('baseline v2 (plain loop)', results.baselineV2, results.baselineV2);
  line('client v2 (cursor)', results.clientV2, results.baselineV2);
  line('baseline v0.5 (offset)', results.baselineV05, results.baselineV05);
  line('client v0.5 (keyset)', results.clientV05, results.baselineV05);
  const peak = Math.max(results.clientV2.peakRssMb, results.clientV05.peakRssMb);
  console.log(
    `RESULT cases=${CASES} v2_records_per_s=${Math.round(rate(results.clientV2))} v2_pages_per_s=${(results.clientV2.pages / results.clientV2.seconds).toFixed(1)} v05_records_per_s=${Math.round(rate(results.clientV05))} v05_pages_per_s=${(results.clientV05.pages / results.clientV05.seconds).toFixed(1)} baseline_v2_records_per_s=${Math.round(rate(results.baselineV2))} baseline_v05_records_per_s=${Math.round(rate(results.baselineV05))} ratio_v2=${(rate(results.clientV2) / rate(results.baselineV2)).toFixed(2)} ratio_v05=${(rate(results.clientV05) / rate(results.baselineV05)).toFixed(2)} peak_rss_mb=${peak.toFixed(0)}`,
  );
} finally {
  simulator.kill('SIGTERM');
}
