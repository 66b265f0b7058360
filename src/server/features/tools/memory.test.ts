import { readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectedMember, queryAs, type Member } from '../../../../test/support/members';
import { startScoutWithSimulator, type SimulatedScout } from '../../../../test/support/scout';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../platform/db/embedded-postgres';
import { createLogger } from '../../platform/logger';

/**
 * One query must not take gigabytes of database memory: the adversarial
 * review's string_agg of 900 one-megabyte strings took PostgreSQL from 258 MB
 * to 7.1 GB when run four times at once. On Scout's own PostgreSQL cluster
 * (the embedded default, started here as `npm start` starts it) each
 * connection's private memory is capped, so such a query fails alone.
 */
let database: EmbeddedPostgres;
let dataDir: string;
let scout: SimulatedScout;
let hog: Member;
let neighbour: Member;

const HUGE = "select length(string_agg(repeat('x',1000000),'')) from generate_series(1,900)";
const SMALL = 'SELECT count(*)::int AS n FROM cases';
const MIB = 1024 * 1024;


function status(pid: number): Record<string, string> {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Object.fromEntries(text.split('\n').map((line) => line.split(/:\s+/, 2) as [string, string]));
}

/** The cluster's resident memory: every process's private memory, plus the shared memory once. */
function clusterResidentBytes(postmaster: number): number {
  let anon = 0;
  let shared = 0;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const s = status(pid);
      if (pid !== postmaster && Number(s.PPid) !== postmaster) continue;
      anon += Number.parseInt(s.RssAnon ?? '0', 10) * 1024;
      shared = Math.max(shared, Number.parseInt(s.RssShmem ?? '0', 10) * 1024);
    } catch {
      // the process ended while we looked
    }
  }
  return anon + shared;
}

async function postmasterPid(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const backend = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    return Number(status(backend).PPid);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'scout-memory-'));
  await chmod(dataDir, 0o755);
  database = await startEmbeddedPostgres({ dataDir, logger: createLogger({ level: 'warn' }), database: 'postgres' });
  // Four at once from one user: two run (the per-user cap), two wait for a slot.
  scout = await startScoutWithSimulator({ seed: 5, domains: ['demo-clinic', 'other-project'], cases: 30, formsPerCase: 1 }, { env: { DATABASE_URL: database.url }, app: { queryCapacity: { waitMs: 60_000 } }, worker: true });
  hog = await connectedMember(scout.baseUrl, 'demo-clinic');
  neighbour = await connectedMember(scout.baseUrl, 'other-project');
}, 180_000);
afterAll(async () => {
  await scout?.stop();
  await database?.stop();
  if (database && database.clusterDir !== path.join(dataDir, 'postgres')) await rm(database.clusterDir, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

describe('memory one query may take', () => {
  it('stops four huge string_aggs at once well under 1 GB of database memory, while another tenant is answered', { timeout: 120_000 }, async () => {
    const postmaster = await postmasterPid(database.url);
    const before = clusterResidentBytes(postmaster);
    let peak = before;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, clusterResidentBytes(postmaster));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const hogs = Promise.all(Array.from({ length: 4 }, () => queryAs(hog, HUGE)));
    const neighbourAnswers: number[] = [];
    for (let i = 0; i < 5; i++) neighbourAnswers.push((await queryAs(neighbour, SMALL)).status);
    const results = await hogs;
    sampling = false;
    await sampler;
    console.log(`cluster memory: ${Math.round(before / MIB)} MB before, peak ${Math.round(peak / MIB)} MB with four huge queries`);

    for (const { status: code, envelope } of results) {
      expect(code).toBe(400);
      expect(envelope).toEqual({
        success: false,
        error: { code: 'VALIDATION_ERROR', message: 'the query needs more memory than one query may use; aggregate or filter earlier, build smaller values, or add LIMIT' },
      });
    }
    expect(neighbourAnswers).toEqual([200, 200, 200, 200, 200]);
    expect(peak).toBeLessThan(1024 * MIB);
    // And the hog's connection is fine afterwards: a normal query answers.
    expect((await queryAs(hog, SMALL)).status).toBe(200);
  });
});
