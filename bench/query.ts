/**
 * npm run bench:query [-- --quick]
 *
 * Latency of the `query` tool (parser + allow-list, read-only transaction,
 * tenant role, cursor with row cap, audit record) against running the same
 * SQL directly with pg on the same pool and warehouse, side by side, for
 * 1,000 simple queries (--quick: 200); and the MCP round trip over HTTP on
 * loopback (official SDK client → /mcp/<membership> → the same tool); and
 * row security: the same engine call as the whole domain's reader and as a
 * location-restricted member's scope (one district), on a lookup and on an
 * aggregate over every case.
 * Scout runs in this process on an embedded PostgreSQL (or DATABASE_URL),
 * with the demo domain of its built-in simulator synced.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { progressBar } from '../src/server/platform/progress-bar';
import { runQuery } from '../src/server/features/tools/query';
import { ensureScope } from '../src/server/features/warehouse/row-security';
import { startDemoScout } from './support/demo-scout';

const quick = process.argv.includes('--quick');
const ITERATIONS = quick ? 200 : 1000;
const SQL = "SELECT case_id, case_name, closed FROM cases WHERE case_type = 'household' ORDER BY case_id LIMIT 20";
const AGGREGATE = 'SELECT case_type, count(*) FROM cases GROUP BY case_type';

const { scout, baseUrl, client, userId, membershipId, stop } = await startDemoScout('query', {}, { mcpToolCallsPerMinute: 1_000_000 });
try {
  const ctx = await scout.services.tools.context(userId, membershipId, 'api');
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
  await mcp.connect(new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp/${membershipId}`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  const roundTrip = await time('mcp', async () => {
    const result = await mcp.callTool({ name: 'query', arguments: { sql: SQL } });
    if (result.isError) throw new Error(JSON.stringify(result.content));
  });
  await mcp.close();

  // Row security: one district's scope, as a field supervisor reads.
  const [district] = (await pool.query(`SELECT location_id FROM "${ctx.schemaName}".locations WHERE level = 1 ORDER BY location_id LIMIT 1`)).rows;
  await ensureScope(pool, ctx.schemaName, 'bench-scope', [district.location_id as string]);
  const engine = (sql: string, scope?: string) => () => runQuery(pool, ctx.schemaName, sql, {}, scope ? { scope } : {});
  const lookupAll = await time('lookup all', engine(SQL));
  const lookupScoped = await time('lookup rls', engine(SQL, 'bench-scope'));
  const aggregateAll = await time('agg all', engine(AGGREGATE));
  const aggregateScoped = await time('agg rls', engine(AGGREGATE, 'bench-scope'));
  const scopedCases = (await runQuery(pool, ctx.schemaName, 'SELECT count(*)::int FROM cases', {}, { scope: 'bench-scope' })).rows[0]![0];
  const allCases = (await runQuery(pool, ctx.schemaName, 'SELECT count(*)::int FROM cases')).rows[0]![0];

  const ms = (n: number) => n.toFixed(2);
  console.log(`${ITERATIONS} queries: direct pg p50 ${ms(direct.p50)} ms p99 ${ms(direct.p99)} ms | query tool p50 ${ms(tool.p50)} ms p99 ${ms(tool.p99)} ms | MCP round trip p50 ${ms(roundTrip.p50)} ms p99 ${ms(roundTrip.p99)} ms`);
  console.log(`overhead of the query tool over direct pg: p50 ${ms(tool.p50 - direct.p50)} ms, p99 ${ms(tool.p99 - direct.p99)} ms (ratio ${(tool.p50 / direct.p50).toFixed(1)}x at p50)`);
  console.log(`row security (${scopedCases} of ${allCases} cases in scope): lookup p50 ${ms(lookupAll.p50)} -> ${ms(lookupScoped.p50)} ms (${(lookupScoped.p50 / lookupAll.p50).toFixed(2)}x), aggregate p50 ${ms(aggregateAll.p50)} -> ${ms(aggregateScoped.p50)} ms (${(aggregateScoped.p50 / aggregateAll.p50).toFixed(2)}x)`);
  console.log(`RESULT rls_lookup_ratio_p50=${(lookupScoped.p50 / lookupAll.p50).toFixed(2)} rls_aggregate_ratio_p50=${(aggregateScoped.p50 / aggregateAll.p50).toFixed(2)} overhead_p50_ms=${ms(tool.p50 - direct.p50)} overhead_p99_ms=${ms(tool.p99 - direct.p99)} mcp_roundtrip_p50_ms=${ms(roundTrip.p50)} direct_p50_ms=${ms(direct.p50)} tool_p50_ms=${ms(tool.p50)}`);
} finally {
  await stop();
}
