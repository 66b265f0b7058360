/**
 * npm run bench:query [-- --quick]
 *
 * Latency of the `query` tool (parser + allow-list, read-only transaction,
 * tenant role, cursor with row cap, audit record) against running the same
 * SQL directly with pg on the same pool and warehouse, side by side, for
 * 1,000 simple queries (--quick: 200); and the MCP round trip over HTTP on
 * loopback (official SDK client → /mcp/<membership> → the same tool).
 * Scout runs in this process on an embedded PostgreSQL (or DATABASE_URL),
 * with the demo domain of its built-in simulator synced.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { loadConfig } from '../src/server/config';
import { startScout } from '../src/server/main';
import { startEmbeddedPostgres } from '../src/server/platform/db/embedded-postgres';
import { Lifecycle } from '../src/server/platform/lifecycle';
import { createLogger } from '../src/server/platform/logger';
import { findFreePort } from '../src/server/platform/net';
import { progressBar } from '../src/server/platform/progress-bar';
import { HttpClient } from '../test/support/scout';

const quick = process.argv.includes('--quick');
const ITERATIONS = quick ? 200 : 1000;
const SQL = "SELECT case_id, case_name, closed FROM cases WHERE case_type = 'household' ORDER BY case_id LIMIT 20";
const logger = createLogger({ level: 'warn' });

const dataDir = await mkdtemp(path.join(tmpdir(), 'scout-bench-query-'));
await chmod(dataDir, 0o755);
let stopDatabase = async () => undefined as unknown;
let databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  const embedded = await startEmbeddedPostgres({ dataDir, logger, database: 'postgres' });
  databaseUrl = embedded.url;
  stopDatabase = embedded.stop;
}
const port = await findFreePort();
const baseUrl = `http://localhost:${port}`;
const config = loadConfig({ DATABASE_URL: databaseUrl, PORT: String(port), SCOUT_BASE_URL: baseUrl, SCOUT_DATA_DIR: dataDir, NODE_ENV: 'development', LOG_LEVEL: 'warn' });
const lifecycle = new Lifecycle(logger);

try {
  const scout = await startScout(config, logger, lifecycle, { http: true, worker: true, buildWeb: false, appOverrides: { mcpToolCallsPerMinute: 1_000_000 } });
  const client = new HttpClient(baseUrl);
  await client.post('/api/auth/sign-up/email', { name: 'Bench', email: 'bench@example.org', password: 'bench-pass-123' });
  const demo = (await (await client.post('/api/auth/tenant-credentials/demo/')).json()) as { membership_id: string };
  const run = await scout.services.warehouse.start((await (await client.get('/api/me')).json()).user.id, demo.membership_id, 'full');
  for (;;) {
    const state = (await scout.services.warehouse.runById(run.run.id))!.state;
    if (state === 'completed') break;
    if (state === 'failed') throw new Error('sync failed');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const userId = ((await (await client.get('/api/me')).json()) as { user: { id: string } }).user.id;
  const ctx = await scout.services.tools.context(userId, demo.membership_id, 'api');
  const pool = scout.services.warehouse['deps'].warehouse;

  const time = async (label: string, fn: () => Promise<unknown>) => {
    const bar = progressBar(label.padEnd(12));
    const samples: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const started = performance.now();
      await fn();
      samples.push(performance.now() - started);
      if (i % 50 === 0) bar.update(i, ITERATIONS);
    }
    bar.update(ITERATIONS, ITERATIONS);
    bar.done();
    samples.sort((a, b) => a - b);
    return { p50: samples[Math.floor(samples.length * 0.5)]!, p99: samples[Math.floor(samples.length * 0.99)]! };
  };

  const directSql = `SELECT case_id, case_name, closed FROM "${ctx.schemaName}".cases WHERE case_type = 'household' ORDER BY case_id LIMIT 20`;
  // Warm both paths up.
  for (let i = 0; i < 50; i++) {
    await pool.query(directSql);
    await scout.services.tools.call(ctx, 'query', { sql: SQL });
  }
  const direct = await time('direct pg', () => pool.query(directSql));
  const tool = await time('query tool', async () => {
    const envelope = await scout.services.tools.call(ctx, 'query', { sql: SQL });
    if (!envelope.success) throw new Error(envelope.error.message);
  });

  const token = ((await (await client.post('/api/mcp/tokens', { name: 'bench' })).json()) as { token: string }).token;
  const mcp = new Client({ name: 'scout-bench', version: '1.0.0' });
  await mcp.connect(new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp/${demo.membership_id}`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  const roundTrip = await time('mcp', async () => {
    const result = await mcp.callTool({ name: 'query', arguments: { sql: SQL } });
    if (result.isError) throw new Error(JSON.stringify(result.content));
  });
  await mcp.close();

  const ms = (n: number) => n.toFixed(2);
  console.log(`${ITERATIONS} queries: direct pg p50 ${ms(direct.p50)} ms p99 ${ms(direct.p99)} ms | query tool p50 ${ms(tool.p50)} ms p99 ${ms(tool.p99)} ms | MCP round trip p50 ${ms(roundTrip.p50)} ms p99 ${ms(roundTrip.p99)} ms`);
  console.log(`overhead of the query tool over direct pg: p50 ${ms(tool.p50 - direct.p50)} ms, p99 ${ms(tool.p99 - direct.p99)} ms (ratio ${(tool.p50 / direct.p50).toFixed(1)}x at p50)`);
  console.log(`RESULT overhead_p50_ms=${ms(tool.p50 - direct.p50)} overhead_p99_ms=${ms(tool.p99 - direct.p99)} mcp_roundtrip_p50_ms=${ms(roundTrip.p50)} direct_p50_ms=${ms(direct.p50)} tool_p50_ms=${ms(tool.p50)}`);
} finally {
  await lifecycle.stop();
  await stopDatabase();
  await rm(dataDir, { recursive: true, force: true });
}
