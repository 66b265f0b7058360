import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { AppDeps } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import type { AuthSettings } from '../../src/server/platform/auth/auth';
import { startScout, type RunningScout } from '../../src/server/main';
import { Lifecycle } from '../../src/server/platform/lifecycle';
import { findFreePort } from '../../src/server/platform/net';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../simulator';
import { createTestDatabase } from './database';

export interface TestScout extends RunningScout {
  baseUrl: string;
  /** Every log line the server wrote, for assertions about what is (not) logged. */
  logs: string[];
  stop(): Promise<void>;
}

export interface TestScoutOptions {
  /** Environment variables, as a user sets them. */
  env?: Record<string, string>;
  /** Test doubles and limits the environment can't set (the mock model, short retries). */
  app?: Partial<AppDeps>;
  auth?: Partial<AuthSettings>;
  /** Runs the sync worker in the process too. */
  worker?: boolean;
}

/**
 * The real boot path (config -> database -> migrations -> HTTP) on a fresh
 * database and a free port, without the web build (and without the worker
 * unless asked).
 */
export async function startTestScout({
  env = {},
  app: appOverrides = {},
  // Test files sign up many accounts from one address; the limit itself is tested in accounts.test.ts.
  auth: authOverrides = { signUpAttemptsPerMinute: 1000 },
  worker = false,
}: TestScoutOptions = {}): Promise<TestScout> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'scout-data-'));
  const port = await findFreePort();
  const config = loadConfig({ NODE_ENV: 'test', PORT: String(port), DATABASE_URL: database.url, SCOUT_DATA_DIR: dataDir, ...env });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = pino({ level: 'debug', base: undefined }, sink);
  const lifecycle = new Lifecycle(logger);
  const running = await startScout(config, logger, lifecycle, { http: true, worker, buildWeb: false, appOverrides, authOverrides });
  return {
    ...running,
    baseUrl: `http://localhost:${port}`,
    logs,
    stop: async () => {
      await lifecycle.stop();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fetch that keeps cookies like a browser and sends the app's own Origin. */
export interface SimulatedScout extends TestScout {
  /** The CommCare HQ simulator Scout talks to (COMMCARE_BASE_URL); stopping Scout closes it. */
  sim: RunningSimulator;
}

/** A simulator (on a free port, without rate limits unless asked) and a Scout pointed at it. */
export async function startScoutWithSimulator(simulator: Partial<SimulatorOptions>, options: TestScoutOptions = {}): Promise<SimulatedScout> {
  const sim = await startSimulator({ port: 0, rateLimit: false, ...simulator });
  try {
    const scout = await startTestScout({ ...options, env: { COMMCARE_BASE_URL: sim.url, ...options.env } });
    return {
      ...scout,
      sim,
      stop: async () => {
        await scout.stop();
        await sim.close();
      },
    };
  } catch (error) {
    await sim.close();
    throw error;
  }
}

export class HttpClient {
  private cookies = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, redirect: RequestRedirect = 'follow', signal?: AbortSignal): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        origin: this.baseUrl,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(cookie ? { cookie } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      redirect,
      ...(signal ? { signal } : {}),
    });
    for (const setCookie of response.headers.getSetCookie()) {
      const [pair] = setCookie.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      if (!name) continue;
      if (/max-age=0/i.test(setCookie)) this.cookies.delete(name);
      else this.cookies.set(name, value.join('='));
    }
    return response;
  }

  get(path: string) {
    return this.request('GET', path);
  }

  post(path: string, body: unknown = {}, headers?: Record<string, string>) {
    return this.request('POST', path, body, headers);
  }

  /** The same browser (its cookies) talking to another server: another Scout process behind the same site. */
  at(baseUrl: string): HttpClient {
    const other = new HttpClient(baseUrl);
    other.cookies = new Map(this.cookies);
    return other;
  }

  hasCookie(name: string): boolean {
    return this.cookies.has(name);
  }
}
