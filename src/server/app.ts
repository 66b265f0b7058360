import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { ERROR_CODES } from '../shared/errors';
import { accountRouter } from './features/accounts/account-routes';
import { accountsRouter } from './features/accounts/routes';
import type { ChatModel } from './features/chat/model';
import { chatRouter, scopedChatRouter, threadsRouter } from './features/chat/routes';
import { ChatService, DEFAULT_CHAT_LIMITS, type ChatLimits } from './features/chat/service';
import type { RetryPolicy } from './features/commcare';
import { connectorCatalogRouter, connectorsRouter } from './features/connectors/routes';
import { ConnectorService } from './features/connectors/service';
import { ConnectorOAuth } from './features/connectors/oauth';
import { healthRouter } from './features/health/routes';
import { RateLimit } from './platform/rate-limit';
import { membersRouter } from './features/members/routes';
import { MemberService } from './features/members/service';
import { mcpEndpoint, mcpTokensRouter } from './features/mcp/routes';
import { McpTokenService } from './features/mcp/service';
import { McpGrantService } from './features/mcp/oauth/grants';
import { AccessTokenVerifier } from './features/mcp/oauth/access-token';
import { mcpOAuthRouter, OAUTH_CLIENT_PATHS, oauthServerRouter } from './features/mcp/oauth/routes';
import type { HqServerDirectory } from './features/tenants/hq-servers';
import { tenantsRouter } from './features/tenants/routes';
import { tenantScope, type TenantEnv } from './features/tenants/scope';
import type { OAuthTokenSource } from './features/tenants/oauth';
import { providersRouter } from './features/tenants/providers-routes';
import { TenantService, type DemoAccount } from './features/tenants/service';
import type { OAuthProviderConfig, SocialProviders } from './config';
import { toolsRouter } from './features/tools/routes';
import { DEFAULT_QUERY_CAPACITY, type QueryCapacity } from './features/tools/definitions';
import { ToolService } from './features/tools/service';
import { warehouseRouter } from './features/warehouse/routes';
import { SchemaManager } from './features/warehouse/schema-manager';
import { WarehouseService } from './features/warehouse/service';
import { MemberAccess } from './features/tenants/access';
import type { Auth } from './platform/auth/auth';
import { requireSession } from './platform/auth/session';
import type { KeyRing } from './platform/crypto/keyring';
import type { Database } from './platform/db/schema';
import type { AppEnv } from './platform/http/env';
import { AppError, errorResponse } from './platform/http/errors';
import { originGuard } from './platform/http/origin-guard';
import { urlTextGuard } from './platform/http/query-text';
import { requestContext } from './platform/http/request-context';
import { webAppRouter } from './platform/http/web-app';
import type { Logger } from './platform/logger';
import { exportsRouter } from './features/exports/routes';
import { queryHistoryRouter } from './features/query-history/routes';
import { QueryHistoryService } from './features/query-history/service';
import { ExportService } from './features/exports/service';
import { questionsRouter } from './features/questions/routes';
import { QuestionService } from './features/questions/service';
import { dashboardsRouter, sharedRouter } from './features/dashboards/routes';
import { DashboardService } from './features/dashboards/service';
import { schedulesRouter } from './features/schedules/routes';
import { ScheduleService } from './features/schedules/service';
import { publicationsRouter } from './features/publishing/routes';
import { DEFAULT_PUBLISH_RETRY, PublicationService, type PublishRetry } from './features/publishing/service';
import { DeliveryService } from './features/publishing/delivery';
import { DEFAULT_EXPORT_LIMITS, type ExportLimits } from './features/exports/limits';
import { Egress } from './platform/http/egress';
import { knowledgeRouter } from './features/knowledge/routes';
import { KnowledgeService } from './features/knowledge/service';

export interface AppDeps {
  pool: pg.Pool;
  db: Kysely<Database>;
  auth: Auth;
  keyRing: KeyRing;
  logger: Logger;
  /** Origins allowed to make cookie-authenticated writes (Scout's own address). */
  trustedOrigins: string[];
  /** CommCare servers users may connect to. */
  servers: HqServerDirectory;
  /** The CommCare HQ simulator, served at /simulator when configured. */
  simulator?: { fetch(request: Request, env?: unknown): Response | Promise<Response> };
  /** Directory of the built web app; omitted in API-only tests. */
  webRoot?: string;
  /** Faster CommCare retries for tests that simulate outages. */
  verifyRetry?: Partial<RetryPolicy>;
  syncRetry?: Partial<RetryPolicy>;
  /** Scout's public origin, for flows a browser starts with a plain link. */
  origin: string;
  oauthProviders: OAuthProviderConfig[];
  /** Where OAuth access tokens come from (better-auth's linked accounts). */
  oauthTokens?: OAuthTokenSource;
  demo?: DemoAccount;
  /** The managed database holding tenant schemas (may be the app database). */
  warehousePool: pg.Pool;
  schemaTtlSeconds: number;
  /** The MCP endpoint as an OAuth protected resource (`<origin>/mcp`); unset, MCP takes personal tokens only. */
  mcpResource?: string;
  /** Tool calls one MCP token may make a minute (default 60). */
  mcpToolCallsPerMinute?: number;
  /** The chat agent's model; unset, the chat explains how to configure one. */
  chatModel?: ChatModel;
  chatLimits?: Partial<ChatLimits>;
  /** Chat questions one user may ask a minute (default 20). */
  chatRequestsPerMinute?: number;
  /** How many queries run at once per user and per domain, and REST tool calls per user a minute. */
  queryCapacity?: Partial<QueryCapacity>;
  /** Caps of one export (features/exports/limits.ts has the defaults). */
  exportLimits?: Partial<ExportLimits>;
  /** The guard for outbound calls a user can aim (connector addresses); default: no private address allowed. */
  egress?: Egress;
  /** X and LinkedIn: OAuth and API endpoints, Scout's apps there (default: the real endpoints, no app). */
  social?: SocialProviders;
  /** Publishing's retries and per-call time limit (tests make them short). */
  publishRetry?: Partial<PublishRetry>;
}

export interface AppServices {
  tenants: TenantService;
  access: MemberAccess;
  warehouse: WarehouseService;
  tools: ToolService;
  mcpTokens: McpTokenService;
  mcpGrants: McpGrantService;
  chat: ChatService;
  connectors: ConnectorService;
  connectorOAuth: ConnectorOAuth;
  members: MemberService;
  exports: ExportService;
  queryHistory: QueryHistoryService;
  questions: QuestionService;
  dashboards: DashboardService;
  schedules: ScheduleService;
  publications: PublicationService;
  deliveries: DeliveryService;
  knowledge: KnowledgeService;
}

/** Builds the feature services once; routers and background jobs share them. */
export function createServices(deps: AppDeps): AppServices {
  const tenants = new TenantService({
      db: deps.db,
      keyRing: deps.keyRing,
      servers: deps.servers,
      logger: deps.logger,
      ...(deps.verifyRetry ? { verifyRetry: deps.verifyRetry } : {}),
      ...(deps.demo ? { demo: deps.demo } : {}),
      ...(deps.oauthTokens ? { oauth: { providers: deps.oauthProviders, tokens: deps.oauthTokens } } : {}),
  });
  const access = new MemberAccess({ db: deps.db, tenants, logger: deps.logger });
  const warehouse = new WarehouseService({
    db: deps.db,
    warehouse: deps.warehousePool,
    schemas: new SchemaManager(deps.warehousePool),
    tenants,
    access,
    logger: deps.logger,
    schemaTtlSeconds: deps.schemaTtlSeconds,
    ...(deps.syncRetry ? { commcareRetry: deps.syncRetry } : {}),
  });
  const egress = deps.egress ?? new Egress();
  const connectors = new ConnectorService({ db: deps.db, keyRing: deps.keyRing, tenants, egress, ...(deps.social ? { social: deps.social } : {}) });
  const connectorOAuth = new ConnectorOAuth({ db: deps.db, keyRing: deps.keyRing, connectors, tenants, egress, origin: deps.origin, logger: deps.logger });
  const publications = new PublicationService({ db: deps.db, connectors, egress, logger: deps.logger, retry: { ...DEFAULT_PUBLISH_RETRY, ...deps.publishRetry } });
  const tools = new ToolService({
    db: deps.db,
    tenants,
    access,
    warehouse,
    warehousePool: deps.warehousePool,
    logger: deps.logger,
    capacity: { ...DEFAULT_QUERY_CAPACITY, ...deps.queryCapacity },
    publications,
  });
  const chat = new ChatService({
    db: deps.db,
    warehousePool: deps.warehousePool,
    tenants,
    tools,
    warehouse,
    logger: deps.logger,
    model: deps.chatModel,
    limits: { ...DEFAULT_CHAT_LIMITS, ...deps.chatLimits },
  });
  const questions = new QuestionService(deps.db);
  const dashboards = new DashboardService({ db: deps.db, tools, capacity: { ...DEFAULT_QUERY_CAPACITY, ...deps.queryCapacity }, origin: deps.origin });
  const schedules = new ScheduleService({ db: deps.db, tenants, tools, questions, dashboards, warehouse, logger: deps.logger });
  const deliveries = new DeliveryService({ db: deps.db, schedules, questions, dashboards, publications, tenants, logger: deps.logger });
  const exports = new ExportService({ db: deps.db, tools, warehouse, warehousePool: deps.warehousePool, logger: deps.logger, limits: { ...DEFAULT_EXPORT_LIMITS, ...deps.exportLimits } });
  return { tenants, access, warehouse, tools, mcpTokens: new McpTokenService(deps.db), mcpGrants: new McpGrantService({ db: deps.db, tenants }), chat, connectors, connectorOAuth, members: new MemberService(deps.db), exports, queryHistory: new QueryHistoryService(deps.db, () => tools.flushAudit()),
    questions,
    dashboards,
    schedules,
    publications,
    deliveries,
    knowledge: new KnowledgeService({ db: deps.db, warehousePool: deps.warehousePool }),
  };
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Composes the feature routers into one Hono app. */
export function createApp(deps: AppDeps, services: AppServices = createServices(deps)) {
  const app = new Hono<AppEnv>({ strict: false });
  app.use('*', requestContext(deps.logger));
  // The OAuth endpoints MCP clients call themselves take no cookie (oauth/routes.ts strips it), so any origin may.
  app.use('/api/*', originGuard(deps.trustedOrigins, OAUTH_CLIENT_PATHS));
  app.use('/api/*', urlTextGuard());
  // Every API and MCP body Scout accepts is small (a chat question, a query, a form); refuse big ones before reading them.
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => c.json(new AppError(413, ERROR_CODES.validation, `The request body is larger than ${MAX_BODY_BYTES / 1024} kB`).toBody(), 413),
  });
  app.use('/api/*', limit);
  app.use('/mcp/*', limit);
  app.use('/mcp', limit);
  // Browser-based MCP clients (the MCP Inspector, web agents) call from other origins. Safe for any origin:
  // the endpoint takes a bearer token, never a cookie, so a page can only use a token it already holds.
  const mcpCors = cors({
    origin: '*',
    allowMethods: ['POST', 'GET', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'Accept', 'Mcp-Session-Id', 'Mcp-Protocol-Version', 'Last-Event-ID'],
    exposeHeaders: ['Mcp-Session-Id', 'WWW-Authenticate', 'Retry-After'],
    maxAge: 600,
  });
  app.use('/mcp', mcpCors);
  app.use('/mcp/*', mcpCors);

  app.route('/', healthRouter(deps.pool));
  if (deps.mcpResource) app.route('/', oauthServerRouter({ auth: deps.auth, grants: services.mcpGrants }));
  app.route('/api', accountsRouter(deps.auth));
  app.route('/api/account', accountRouter({ auth: deps.auth, db: deps.db, schemas: new SchemaManager(deps.warehousePool), logger: deps.logger }));
  app.route('/api/auth', tenantsRouter({ auth: deps.auth, tenants: services.tenants, access: services.access, members: services.members, servers: deps.servers }));
  app.route('/api/auth', providersRouter({ auth: deps.auth, db: deps.db, tenants: services.tenants, providers: deps.oauthProviders, origin: deps.origin }));
  // Everything under /api/tenants/<membership id> needs a session, and resolves the caller's membership once.
  const chatLimit = new RateLimit(deps.db, 'chat', deps.chatRequestsPerMinute ?? 20);
  const tenantApi = new Hono<TenantEnv>({ strict: false });
  tenantApi.use('*', requireSession(deps.auth));
  tenantApi.use('/:membershipId/*', tenantScope(services.tenants));
  tenantApi.use('/:membershipId', tenantScope(services.tenants));
  const scoped = new Hono<TenantEnv>({ strict: false });
  scoped.route('/', warehouseRouter({ warehouse: services.warehouse, tenants: services.tenants }));
  const toolLimit = new RateLimit(deps.db, 'rest-tools', deps.queryCapacity?.requestsPerMinute ?? DEFAULT_QUERY_CAPACITY.requestsPerMinute);
  scoped.route('/', toolsRouter({ tools: services.tools, rateLimit: toolLimit }));
  scoped.route('/', exportsRouter({ exports: services.exports, rateLimit: toolLimit }));
  scoped.route('/', queryHistoryRouter({ history: services.queryHistory }));
  scoped.route('/', questionsRouter({ questions: services.questions, tools: services.tools, rateLimit: toolLimit }));
  scoped.route('/', dashboardsRouter({ dashboards: services.dashboards, rateLimit: toolLimit }));
  scoped.route('/', schedulesRouter({ schedules: services.schedules }));
  scoped.route('/', publicationsRouter({ publications: services.publications, deliveries: services.deliveries }));
  scoped.route('/', threadsRouter({ chat: services.chat }));
  scoped.route('/chat', scopedChatRouter({ chat: services.chat, rateLimit: chatLimit }));
  scoped.route('/', connectorsRouter({ connectors: services.connectors, oauth: services.connectorOAuth }));
  scoped.route('/', membersRouter({ members: services.members }));
  scoped.route('/', knowledgeRouter({ knowledge: services.knowledge }));
  tenantApi.route('/:membershipId', scoped);
  app.route('/api/tenants', tenantApi);
  // Signed out: what a dashboard's share link shows.
  app.route('/api/shared', sharedRouter({ dashboards: services.dashboards }));
  const chatApi = new Hono<AppEnv>({ strict: false });
  chatApi.use('*', requireSession(deps.auth));
  chatApi.route('/', chatRouter({ chat: services.chat, rateLimit: chatLimit, tenants: services.tenants }));
  app.route('/api/chat', chatApi);
  const connectorApi = new Hono<AppEnv>({ strict: false });
  connectorApi.use('*', requireSession(deps.auth));
  connectorApi.route('/', connectorCatalogRouter({ connectors: services.connectors, oauth: services.connectorOAuth }));
  app.route('/api/connectors', connectorApi);
  const mcpApi = new Hono<AppEnv>({ strict: false });
  mcpApi.use('*', requireSession(deps.auth));
  mcpApi.route('/', mcpTokensRouter({ tokens: services.mcpTokens }));
  if (deps.mcpResource) mcpApi.route('/', mcpOAuthRouter({ auth: deps.auth, grants: services.mcpGrants }));
  app.route('/api/mcp', mcpApi);
  // MCP clients authenticate with a bearer token (personal or OAuth), not the session cookie.
  const mcpOrigin = deps.mcpResource ? new URL(deps.mcpResource).origin : undefined;
  const mcp = mcpEndpoint({
    tokens: services.mcpTokens,
    tools: services.tools,
    rateLimit: new RateLimit(deps.db, 'mcp', deps.mcpToolCallsPerMinute ?? 60),
    logger: deps.logger,
    ...(deps.mcpResource && mcpOrigin
      ? {
          oauth: {
            grants: services.mcpGrants,
            verifier: new AccessTokenVerifier(deps.auth, { issuer: `${mcpOrigin}/api/auth`, audience: deps.mcpResource, baseUrl: mcpOrigin }),
            resourceMetadataUrl: `${mcpOrigin}/.well-known/oauth-protected-resource/mcp`,
          },
        }
      : {}),
  });
  app.all('/mcp', mcp);
  app.all('/mcp/:membershipId', mcp);
  const simulator = deps.simulator;
  if (simulator) app.all('/simulator/*', (c) => simulator.fetch(c.req.raw, c.env));
  if (deps.webRoot) app.route('/', webAppRouter(deps.webRoot));

  app.notFound((c) => {
    const body = new AppError(404, ERROR_CODES.notFound, `No API route matches ${c.req.method} ${c.req.path}`).toBody();
    return c.json(body, 404);
  });
  app.onError((error, c) => errorResponse(c, error));
  return app;
}

export type App = ReturnType<typeof createApp>;
