import type { Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import type { Kysely } from 'kysely';
import type PgBoss from 'pg-boss';
import { createApp, createServices, type AppDeps, type AppServices } from './app';
import { createChatModel } from './features/chat/model';
import { seedCatalog } from './features/connectors/catalog';
import { betterAuthTokens, commcareOAuthProviders } from './features/tenants/oauth';
import { hardenManagedDatabase } from './features/tools/query';
import type { DemoAccount } from './features/tenants/service';
import { HqServerDirectory } from './features/tenants/hq-servers';
import type { Config } from './config';
import { authOptions, createAuth, type Auth, type AuthSettings } from './platform/auth/auth';
import { verifyKeyRing } from './platform/crypto/key-check';
import type { KeyRing } from './platform/crypto/keyring';
import { loadKeyRing } from './platform/crypto/load-key-ring';
import { openDatabase, type DatabaseHandle } from './platform/db/database';
import { startEmbeddedPostgres } from './platform/db/embedded-postgres';
import { migrateToLatest } from './platform/db/migrate';
import { startJobQueue, stopJobQueue } from './platform/jobs/queue';
import { type Lifecycle, StartupError } from './platform/lifecycle';
import type { Logger } from './platform/logger';
import { isPortTaken } from './platform/net';
import { Egress } from './platform/http/egress';
import { readOrCreateSecretFile } from './platform/secret-files';
import { ensureWebBuild } from './platform/web-build';

export const APP_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_ROOT = path.join(APP_ROOT, 'dist/web');

/** The app database: `DATABASE_URL`, or the embedded server started (and stopped) with Scout. */
export async function connectDatabase(config: Config, logger: Logger, lifecycle: Lifecycle): Promise<{ url: string; handle: DatabaseHandle }> {
  let url = config.databaseUrl;
  if (!url) {
    const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, logger, signal: lifecycle.signal, memoryPerConnection: config.dbMemoryPerConnection });
    await lifecycle.add('embedded PostgreSQL', embedded.stop);
    url = embedded.url;
  }
  const handle = openDatabase(url, logger);
  await lifecycle.add('database pool', handle.close);
  return { url, handle };
}

export async function loadAuthSecret(config: Config): Promise<string> {
  return config.authSecret ?? readOrCreateSecretFile(path.join(config.dataDir, 'auth-secret'), () => randomSecret());
}

export function authSettings(config: Config, handle: DatabaseHandle, secret: string, logger: Logger): AuthSettings {
  const local = config.isProduction ? [] : [`http://localhost:${config.port}`, `http://127.0.0.1:${config.port}`];
  return {
    pool: handle.pool,
    secret,
    baseUrl: config.baseUrl,
    trustedOrigins: [...new Set([config.baseUrl, ...local])],
    secureCookies: config.isProduction || config.baseUrl.startsWith('https://'),
    logger,
    ...(mcpResourceFor(config.baseUrl) ? { mcpOAuth: { resource: mcpResourceFor(config.baseUrl)!, ...config.mcpOAuth } } : {}),
  };
}

/**
 * The MCP endpoint as an OAuth protected resource, when Scout's address can be
 * one: HTTPS, or plain HTTP on a loopback host (development). Elsewhere MCP
 * takes personal access tokens only, and startup says so.
 */
export function mcpResourceFor(baseUrl: string): string | undefined {
  const url = new URL(baseUrl);
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return undefined;
  return `${url.origin}${url.pathname.replace(/\/$/, '')}/mcp`;
}

/** `scout migrate`, and the first thing every start does. */
export async function prepareDatabase(config: Config, logger: Logger, lifecycle: Lifecycle) {
  const { url, handle } = await connectDatabase(config, logger, lifecycle);
  lifecycle.signal.throwIfAborted();
  const settings = authSettings(config, handle, await loadAuthSecret(config), logger);
  const summary = await migrateToLatest(handle.db as Kysely<unknown>, authOptions(settings), logger);
  const catalog = await seedCatalog(handle.db);
  if (catalog.inserted.length + catalog.updated.length > 0) logger.info({ inserted: catalog.inserted, updated: catalog.updated }, 'connector catalog seeded');
  return { url, handle, settings, summary, catalog };
}

export interface RunningScout {
  url: string;
  services: AppServices;
  jobs: PgBoss;
  auth: Auth;
  keyRing: KeyRing;
  database: DatabaseHandle;
}

/**
 * `scout start` (web + worker) and `scout worker` (worker only):
 * config -> database -> migrations -> key check -> worker -> HTTP.
 */
export async function startScout(
  config: Config,
  logger: Logger,
  lifecycle: Lifecycle,
  options: { http: boolean; worker: boolean; buildWeb?: boolean; appOverrides?: Partial<AppDeps>; authOverrides?: Partial<AuthSettings> },
): Promise<RunningScout> {
  if (options.http && (await isPortTaken(config.port, config.host))) {
    throw new StartupError(`Port ${config.port} on ${config.host} is already in use. Stop the program using it, or set PORT to a free port.`);
  }
  const keyRing = await loadKeyRing(config);
  const webBuild = options.http && options.buildWeb !== false ? ensureWebBuild({ appRoot: APP_ROOT, outDir: WEB_ROOT }, logger) : undefined;
  // Building the bundle and starting the database overlap: both take seconds on a first start.
  const [database, build] = await Promise.allSettled([prepareDatabase(config, logger, lifecycle), webBuild]);
  // Wait for both before failing, so a database that did start is registered for shutdown.
  if (database.status === 'rejected') throw database.reason;
  if (build.status === 'rejected') throw build.reason;
  const { url: databaseUrl, handle, settings } = database.value;
  lifecycle.signal.throwIfAborted();
  await verifyKeyRing(handle.db, keyRing);

  const simulator = config.simulator ? await mountedSimulator() : undefined;
  if (simulator) await lifecycle.add('simulator', simulator.close);
  const servers = new HqServerDirectory({ configuredBaseUrl: config.commcareBaseUrl, ...(simulator ? { simulator: { url: simulator.demo.hqBaseUrl, transport: simulator.transport } } : {}) });
  // Auth calls back into the tenants service after an OAuth sign-in, and the service reads tokens through auth.
  const auth = createAuth({
    ...settings,
    oauthProviders: commcareOAuthProviders(config.oauthProviders, servers),
    onOAuthAccount: async (userId, providerId) => {
      await services.tenants.syncOAuthMemberships(userId, providerId);
      // What HQ lets the user see in each domain it listed, learned now rather than on their first question.
      await Promise.all((await services.tenants.list(userId)).map((membership) => services.access.refresh(membership)));
    },
    ...options.authOverrides,
  });
  if (!settings.mcpOAuth) logger.warn({ baseUrl: config.baseUrl }, 'MCP clients cannot sign in with OAuth: SCOUT_BASE_URL must be https (or http on localhost); personal access tokens still work');
  const warehouse = openDatabase(config.managedDatabaseUrl ?? databaseUrl, logger, { applicationName: 'scout-warehouse', utc: true });
  await lifecycle.add('warehouse pool', warehouse.close);
  const { hardened } = await hardenManagedDatabase(warehouse.pool);
  if (!hardened) {
    logger.warn('could not revoke set_config() from PUBLIC in the managed database (needs a superuser or the function owner); the query parser still refuses it, but grant it once for defence in depth');
  }
  const deps: AppDeps = {
    warehousePool: warehouse.pool,
    schemaTtlSeconds: config.schemaTtlSeconds,
    pool: handle.pool,
    db: handle.db,
    auth,
    keyRing,
    logger,
    trustedOrigins: settings.trustedOrigins,
    ...(settings.mcpOAuth ? { mcpResource: settings.mcpOAuth.resource } : {}),
    servers,
    webRoot: WEB_ROOT,
    origin: new URL(config.baseUrl).origin,
    oauthProviders: config.oauthProviders,
    oauthTokens: betterAuthTokens(() => auth, handle.db),
    ...(simulator ? { simulator: simulator.app, demo: simulator.demo } : {}),
    ...(config.chat.model ? { chatModel: createChatModel(config.chat.model) } : {}),
    chatLimits: { maxSteps: config.chat.maxSteps, timeoutMs: config.chat.timeoutMs },
    chatRequestsPerMinute: config.chat.requestsPerMinute,
    queryCapacity: config.queries,
    exportLimits: config.exports,
    egress: new Egress({ allow: config.egressAllow }),
    social: config.social,
    ...options.appOverrides,
  };
  const services = createServices(deps);

  // The queue is needed to enqueue syncs from the web tier too; only workers take jobs.
  const jobs = await startJobQueue(databaseUrl, logger);
  await lifecycle.add('job queue', () => stopJobQueue(jobs));
  // Stopped before the queue: interrupts this process's syncs and gives up its worker presence.
  await lifecycle.add('warehouse worker', () => services.warehouse.jobs.stopWorker());
  if (options.worker) {
    await services.warehouse.jobs.attachWorker(jobs, databaseUrl);
    await services.schedules.attachWorker(jobs);
    await services.publications.attachWorker(jobs);
  }
  else await services.warehouse.jobs.useQueue(jobs, databaseUrl);
  lifecycle.signal.throwIfAborted();

  let url = config.baseUrl;
  if (options.http) {
    const app = createApp(deps, services);
    const server = await listen(app.fetch, config.port, config.host);
    await lifecycle.add('http server', () => closeServer(server));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    url = config.port === 0 ? `http://${config.host}:${port}` : config.baseUrl;
    logger.info({ url, port, chatModel: deps.chatModel?.label ?? null }, 'Scout is ready');
    if (simulator) logger.info({ url: `${url}/simulator`, user: simulator.demo.username, domain: simulator.demo.domain }, 'CommCare simulator mounted: "Try with demo data" connects it (credentials in README)');
  }
  return { url, auth, keyRing, database: handle, services, jobs };
}

/** The CommCare HQ simulator served at /simulator, with its demo account for "Try with demo data". */
/**
 * The demo server's address as stored on demo tenants. It never resolves
 * (.invalid): Scout reaches its simulator in-process, so a demo domain keeps
 * working whatever PORT or SCOUT_BASE_URL is, and in `scout sync` too.
 */
export const DEMO_HQ_BASE_URL = 'http://demo.scout.invalid/simulator';

async function mountedSimulator() {
  const { createSimulator } = await import('../../simulator');
  const simulator = createSimulator({ basePath: '/simulator', seed: 1, domains: ['demo-clinic'], cases: 1000, formsPerCase: 2 });
  const demoUser = simulator.users.find((u) => u.domains.includes('demo-clinic'))!;
  const hqBaseUrl = DEMO_HQ_BASE_URL;
  return {
    app: simulator.app,
    close: () => simulator.close(),
    // In-process: Scout talks to its own simulator without a network hop, whatever its public URL is.
    transport: async (input: URL, init: RequestInit) => simulator.app.fetch(new Request(input, init)),
    demo: { hqBaseUrl, username: demoUser.username, apiKey: demoUser.apiKey, domain: 'demo-clinic', projectName: 'Demo Clinic' } satisfies DemoAccount,
  };
}

function listen(fetch: (request: Request) => Response | Promise<Response>, port: number, hostname: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname }) as Server;
    server.once('listening', () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new StartupError(`Port ${port} on ${hostname} is already in use. Stop the program using it, or set PORT to a free port.`) : error);
    });
  });
}

async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  // Requests in flight get a few seconds to finish before their sockets close.
  const timer = setTimeout(() => server.closeAllConnections(), 5_000);
  await closed;
  clearTimeout(timer);
}

function randomSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64');
}
