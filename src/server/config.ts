import path from 'node:path';
import { z } from 'zod';
import { trimEnd } from '../shared/text';
import { parseAllowList } from './platform/http/egress-allow';

/**
 * Every environment variable Scout reads, parsed once at start-up.
 * README.md and .env.example document the same list; keep them in step.
 */
const KEY_RING_ENTRY = /^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/_-]{42,44}={0,2}$/;

const port = z.coerce
  .number({ error: 'must be a whole number between 0 and 65535' })
  .int('must be a whole number between 0 and 65535')
  .min(0, 'must be a whole number between 0 and 65535')
  .max(65535, 'must be a whole number between 0 and 65535');

/** Settings read with a pattern are short: their length is checked first, so no pattern ever runs on a long value. */
const MAX_SETTING_LENGTH = 20;
const sizeSetting = (message: string) =>
  z
    .string()
    .max(MAX_SETTING_LENGTH, { error: message, abort: true })
    .regex(/^\d+(kB|MB|GB)?$/i, { error: message, abort: true });
const durationSetting = (message: string) =>
  z
    .string()
    .max(MAX_SETTING_LENGTH, { error: message, abort: true })
    .regex(/^\d+(s|m|h|d)?$/, { error: message, abort: true });

const postgresUrl = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\/.+/.test(value) && URL.canParse(value), {
    message: 'must be a PostgreSQL URL like postgres://user:password@host:5432/scout',
  });

const httpUrl = (example: string) => z.url({ protocol: /^https?$/, error: `must be an http(s) URL like ${example}` }).optional();

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test'], {
    error: 'must be one of development, production, test',
  }).default('development'),
  PORT: port.default(3000),
  HOST: z.string().min(1, 'must not be empty').default('127.0.0.1'),
  SCOUT_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL like https://scout.example.org' })
    .optional(),
  DATABASE_URL: postgresUrl.optional(),
  SCOUT_DATA_DIR: z.string().min(1, 'must not be empty').default('./.scout'),
  SCOUT_ENCRYPTION_KEYS: z
    .string()
    .refine((value) => value.split(',').every((entry) => KEY_RING_ENTRY.test(entry.trim())), {
      message: 'must be id:base64key[,id:base64key...] with 32-byte keys (generate one with: openssl rand -base64 32)',
    })
    .optional(),
  BETTER_AUTH_SECRET: z.string().min(32, 'must be at least 32 characters (generate one with: openssl rand -base64 32)').optional(),
  MANAGED_DATABASE_URL: postgresUrl.optional(),
  SCOUT_DB_MEMORY_PER_CONNECTION: sizeSetting('must be a size like 256MB or 1GB (0 for no limit)').optional(),
  SCOUT_SCHEMA_TTL: durationSetting('must be a duration like 7d, 12h, 30m or a number of seconds').optional(),
  COMMCARE_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL like https://www.commcarehq.org' }).optional(),
  COMMCARE_OAUTH_CLIENT_ID: z.string().min(1).optional(),
  COMMCARE_OAUTH_CLIENT_SECRET: z.string().min(1).optional(),
  COMMCARE_CONNECT_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL like https://connect.dimagi.com' }).optional(),
  COMMCARE_CONNECT_OAUTH_CLIENT_ID: z.string().min(1).optional(),
  COMMCARE_CONNECT_OAUTH_CLIENT_SECRET: z.string().min(1).optional(),
  SCOUT_SIMULATOR: z
    .enum(['true', 'false', '1', '0', 'on', 'off'], { error: 'must be true or false' })
    .transform((value) => ['true', '1', 'on'].includes(value))
    .optional(),
  SCOUT_MODEL: z
    .string()
    .regex(/^(anthropic|openai|openai-compatible):\S+$/, 'must be anthropic:<model>, openai:<model> or openai-compatible:<model>, e.g. openai:gpt-4.1-mini')
    .optional(),
  SCOUT_MODEL_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL like http://localhost:11434/v1' }).optional(),
  SCOUT_MODEL_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  SCOUT_CHAT_REQUESTS_PER_MINUTE: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').default(20),
  SCOUT_QUERY_REQUESTS_PER_MINUTE: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').default(120),
  SCOUT_QUERIES_PER_USER: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').default(2),
  SCOUT_QUERIES_PER_DOMAIN: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').default(4),
  SCOUT_EXPORT_MAX_ROWS: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(100_000_000, 'must be at most 100000000').default(1_000_000),
  // Never 0: for PostgreSQL a statement_timeout of 0 is no limit at all.
  SCOUT_EXPORT_MAX_SIZE: sizeSetting('must be a size like 1GB or 500MB')
    .refine((value) => parseSize(value) > 0, 'must be more than 0')
    .optional(),
  SCOUT_EXPORT_TIMEOUT: durationSetting('must be a duration like 600s or 10m')
    .refine((value) => parseDuration(value) > 0, 'must be more than 0')
    .optional(),
  SCOUT_CHAT_MAX_STEPS: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(50, 'must be at most 50').default(12),
  SCOUT_CHAT_TIMEOUT: durationSetting('must be a duration like 120s or 5m').optional(),
  SCOUT_MCP_ACCESS_TOKEN_TTL: durationSetting('must be a duration like 15m or 1h').optional(),
  SCOUT_MCP_REGISTRATIONS_PER_MINUTE: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').default(10),
  SCOUT_MCP_TOKEN_REQUESTS_PER_MINUTE: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').default(30),
  SCOUT_EGRESS_ALLOW: z
    .string()
    .max(4000, 'must be at most 4000 characters')
    .superRefine((value, ctx) => {
      const { problems } = parseAllowList(value);
      if (problems.length > 0) ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of hosts or host:port, e.g. localhost:8080,wordpress.internal: ${problems.join('; ')}` });
    })
    .optional(),
  X_OAUTH_CLIENT_ID: z.string().min(1).max(200, 'must be at most 200 characters').optional(),
  X_OAUTH_CLIENT_SECRET: z.string().min(1).max(500, 'must be at most 500 characters').optional(),
  X_OAUTH_AUTHORIZE_URL: httpUrl('https://x.com/i/oauth2/authorize'),
  X_OAUTH_TOKEN_URL: httpUrl('https://api.x.com/2/oauth2/token'),
  X_API_BASE_URL: httpUrl('https://api.x.com'),
  LINKEDIN_OAUTH_CLIENT_ID: z.string().min(1).max(200, 'must be at most 200 characters').optional(),
  LINKEDIN_OAUTH_CLIENT_SECRET: z.string().min(1).max(500, 'must be at most 500 characters').optional(),
  LINKEDIN_OAUTH_AUTHORIZE_URL: httpUrl('https://www.linkedin.com/oauth/v2/authorization'),
  LINKEDIN_OAUTH_TOKEN_URL: httpUrl('https://www.linkedin.com/oauth/v2/accessToken'),
  LINKEDIN_API_BASE_URL: httpUrl('https://api.linkedin.com'),
  LINKEDIN_API_VERSION: z
    .string()
    .max(MAX_SETTING_LENGTH, { error: 'must be a LinkedIn API version like 202605 (YYYYMM)', abort: true })
    .regex(/^20\d\d(0[1-9]|1[0-2])$/, 'must be a LinkedIn API version like 202605 (YYYYMM)')
    .optional(),
  LINKEDIN_OAUTH_SCOPES: z
    .string()
    .max(500, 'must be at most 500 characters')
    .refine((value) => value.split(' ').filter(Boolean).includes('w_member_social') || value.split(' ').filter(Boolean).includes('w_organization_social'), 'must include w_member_social (or w_organization_social): Scout posts with it')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    error: 'must be one of fatal, error, warn, info, debug, trace, silent',
  }).default('info'),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  isProduction: boolean;
  port: number;
  host: string;
  /** Public origin of the app, used for cookies, CSRF origin checks and OAuth redirects. */
  baseUrl: string;
  /** MCP clients signing in with OAuth: access-token lifetime and the registration and token endpoints' limits. */
  mcpOAuth: { accessTokenSeconds: number; registrationsPerMinute: number; tokenRequestsPerMinute: number };
  /** Unset: Scout runs its own embedded PostgreSQL under `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** The embedded database only: private memory one PostgreSQL connection (and so one query) may use, in bytes; 0 = no limit. */
  dbMemoryPerConnection: number;
  encryptionKeys: string | undefined;
  authSecret: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Where tenant warehouses (schemas) live; unset: the app database. */
  managedDatabaseUrl: string | undefined;
  /** A tenant's warehouse untouched this long is dropped; the next query asks for a fresh sync. */
  schemaTtlSeconds: number;
  /** The CommCare HQ server offered by default (and for OAuth); the public www server when unset. */
  commcareBaseUrl: string | undefined;
  /** OAuth sign-in providers that are configured (client id present). */
  oauthProviders: OAuthProviderConfig[];
  /** Serve the CommCare HQ simulator at /simulator (demo data without a real HQ). */
  simulator: boolean;
  /** Data tool capacity: REST tool calls per user a minute, queries running at once per user and per domain. */
  queries: { requestsPerMinute: number; perUser: number; perDomain: number };
  /** What one export of a query's whole result may write. */
  exports: { maxRows: number; maxBytes: number; timeoutMs: number };
  chat: ChatConfig;
  /**
   * Hosts (`host` or `host:port`) that outbound calls a user can aim (connector
   * URLs) may reach although they are private or local; empty by default.
   */
  egressAllow: string[];
  /** X and LinkedIn: where their OAuth and APIs are, and Scout's client there (unset: no Connect button). */
  social: SocialProviders;
}

/** The social networks Scout connects to with OAuth 2.0 (simulators in tests). */
export interface SocialProviders {
  x: SocialProviderConfig;
  linkedin: SocialProviderConfig;
}

export interface SocialProviderConfig {
  id: 'x' | 'linkedin';
  name: string;
  authorizeUrl: string;
  tokenUrl: string;
  apiBaseUrl: string;
  /** Scout's registered app; unset: connectors of this type take pasted tokens only. */
  client: { id: string; secret: string } | undefined;
  scopes: string[];
  /** LinkedIn's versioned REST API (`LinkedIn-Version: YYYYMM`). */
  apiVersion: string | undefined;
}

export const DEFAULT_LINKEDIN_API_VERSION = '202605';

/** The chat agent's language model and limits. */
export interface ChatConfig {
  /** Unset: no model; the chat says how to configure one and the SQL console still works. */
  model: ChatModelConfig | undefined;
  requestsPerMinute: number;
  maxSteps: number;
  timeoutMs: number;
}

export interface ChatModelConfig {
  provider: 'anthropic' | 'openai' | 'openai-compatible';
  modelId: string;
  apiKey: string | undefined;
  baseUrl: string | undefined;
}

export interface OAuthProviderConfig {
  id: 'commcare' | 'commcare_connect';
  name: string;
  baseUrl: string;
  clientId: string;
  clientSecret: string | undefined;
}

/** Thrown with one human line per bad variable; start-up prints them and exits. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  // Treat `VAR=` like an unset variable, as .env files commonly leave them blank.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        const got = name in present && !isSecretVariable(name) ? ` (got "${present[name]}")` : '';
        return `${name}: ${issue.message}${got}`;
      }),
    );
  }
  const vars = parsed.data;
  const isProduction = vars.NODE_ENV === 'production';
  const problems: string[] = [];
  if (isProduction && !vars.SCOUT_ENCRYPTION_KEYS) {
    problems.push('SCOUT_ENCRYPTION_KEYS: required in production (generate a key with: openssl rand -base64 32, then set SCOUT_ENCRYPTION_KEYS=k1:<key>)');
  }
  if (isProduction && !vars.BETTER_AUTH_SECRET) {
    problems.push('BETTER_AUTH_SECRET: required in production (generate one with: openssl rand -base64 32)');
  }
  if (isProduction && !vars.SCOUT_BASE_URL) {
    problems.push('SCOUT_BASE_URL: required in production (the public URL people open, e.g. https://scout.example.org)');
  }
  const model = chatModel(vars, problems);
  for (const provider of ['X', 'LINKEDIN'] as const) {
    const id = vars[`${provider}_OAUTH_CLIENT_ID`];
    const secret = vars[`${provider}_OAUTH_CLIENT_SECRET`];
    if ((id === undefined) !== (secret === undefined)) problems.push(`${provider}_OAUTH_CLIENT_${id === undefined ? 'ID' : 'SECRET'}: required with ${provider}_OAUTH_CLIENT_${id === undefined ? 'SECRET' : 'ID'} (both come from the app registered with ${provider === 'X' ? 'X' : 'LinkedIn'})`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    env: vars.NODE_ENV,
    isProduction,
    port: vars.PORT,
    host: vars.HOST,
    baseUrl: trimEnd(vars.SCOUT_BASE_URL ?? `http://localhost:${vars.PORT}`, '/'),
    databaseUrl: vars.DATABASE_URL,
    dataDir: path.resolve(cwd, vars.SCOUT_DATA_DIR),
    dbMemoryPerConnection: parseSize(vars.SCOUT_DB_MEMORY_PER_CONNECTION ?? '256MB'),
    encryptionKeys: vars.SCOUT_ENCRYPTION_KEYS,
    authSecret: vars.BETTER_AUTH_SECRET,
    logLevel: vars.LOG_LEVEL,
    managedDatabaseUrl: vars.MANAGED_DATABASE_URL,
    schemaTtlSeconds: parseDuration(vars.SCOUT_SCHEMA_TTL ?? '7d'),
    commcareBaseUrl: (vars.COMMCARE_BASE_URL === undefined ? undefined : trimEnd(vars.COMMCARE_BASE_URL, '/')),
    oauthProviders: oauthProviders(vars),
    simulator: vars.SCOUT_SIMULATOR ?? !isProduction,
    queries: {
      requestsPerMinute: vars.SCOUT_QUERY_REQUESTS_PER_MINUTE,
      perUser: vars.SCOUT_QUERIES_PER_USER,
      perDomain: vars.SCOUT_QUERIES_PER_DOMAIN,
    },
    exports: {
      maxRows: vars.SCOUT_EXPORT_MAX_ROWS,
      maxBytes: parseSize(vars.SCOUT_EXPORT_MAX_SIZE ?? '1GB'),
      timeoutMs: parseDuration(vars.SCOUT_EXPORT_TIMEOUT ?? '10m') * 1000,
    },
    chat: {
      model,
      requestsPerMinute: vars.SCOUT_CHAT_REQUESTS_PER_MINUTE,
      maxSteps: vars.SCOUT_CHAT_MAX_STEPS,
      timeoutMs: parseDuration(vars.SCOUT_CHAT_TIMEOUT ?? '180s') * 1000,
    },
    mcpOAuth: {
      accessTokenSeconds: parseDuration(vars.SCOUT_MCP_ACCESS_TOKEN_TTL ?? '15m'),
      registrationsPerMinute: vars.SCOUT_MCP_REGISTRATIONS_PER_MINUTE,
      tokenRequestsPerMinute: vars.SCOUT_MCP_TOKEN_REQUESTS_PER_MINUTE,
    },
    egressAllow: (vars.SCOUT_EGRESS_ALLOW ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== ''),
    social: socialProviders(vars),
  };
}

/** The real X and LinkedIn endpoints, without Scout's app (what an adapter uses when not told otherwise). */
export function defaultSocialProviders(): SocialProviders {
  return socialProviders({} as z.infer<typeof envSchema>);
}

function socialProviders(vars: Partial<z.infer<typeof envSchema>>): SocialProviders {
  const client = (id: string | undefined, secret: string | undefined) => (id && secret ? { id, secret } : undefined);
  return {
    x: {
      id: 'x',
      name: 'X',
      authorizeUrl: vars.X_OAUTH_AUTHORIZE_URL ?? 'https://x.com/i/oauth2/authorize',
      tokenUrl: vars.X_OAUTH_TOKEN_URL ?? 'https://api.x.com/2/oauth2/token',
      apiBaseUrl: trimEnd(vars.X_API_BASE_URL ?? 'https://api.x.com', '/'),
      client: client(vars.X_OAUTH_CLIENT_ID, vars.X_OAUTH_CLIENT_SECRET),
      // offline.access: a refresh token, so posting keeps working after the two-hour access token.
      scopes: ['tweet.read', 'tweet.write', 'users.read', 'media.write', 'offline.access'],
      apiVersion: undefined,
    },
    linkedin: {
      id: 'linkedin',
      name: 'LinkedIn',
      authorizeUrl: vars.LINKEDIN_OAUTH_AUTHORIZE_URL ?? 'https://www.linkedin.com/oauth/v2/authorization',
      tokenUrl: vars.LINKEDIN_OAUTH_TOKEN_URL ?? 'https://www.linkedin.com/oauth/v2/accessToken',
      apiBaseUrl: trimEnd(vars.LINKEDIN_API_BASE_URL ?? 'https://api.linkedin.com', '/'),
      client: client(vars.LINKEDIN_OAUTH_CLIENT_ID, vars.LINKEDIN_OAUTH_CLIENT_SECRET),
      scopes: (vars.LINKEDIN_OAUTH_SCOPES ?? 'openid profile w_member_social').split(' ').filter(Boolean),
      apiVersion: vars.LINKEDIN_API_VERSION ?? DEFAULT_LINKEDIN_API_VERSION,
    },
  };
}

/** The provider named by SCOUT_MODEL with its key; a missing key or base URL is a start-up problem, not a chat error later. */
function chatModel(vars: z.infer<typeof envSchema>, problems: string[]): ChatModelConfig | undefined {
  if (!vars.SCOUT_MODEL) return undefined;
  const separator = vars.SCOUT_MODEL.indexOf(':');
  const provider = vars.SCOUT_MODEL.slice(0, separator) as ChatModelConfig['provider'];
  const modelId = vars.SCOUT_MODEL.slice(separator + 1);
  const baseUrl = (vars.SCOUT_MODEL_BASE_URL === undefined ? undefined : trimEnd(vars.SCOUT_MODEL_BASE_URL, '/'));
  if (provider === 'anthropic' && !vars.ANTHROPIC_API_KEY) problems.push('ANTHROPIC_API_KEY: required when SCOUT_MODEL is anthropic:<model>');
  if (provider === 'openai' && !vars.OPENAI_API_KEY) problems.push('OPENAI_API_KEY: required when SCOUT_MODEL is openai:<model>');
  if (provider === 'openai-compatible' && !baseUrl) {
    problems.push('SCOUT_MODEL_BASE_URL: required when SCOUT_MODEL is openai-compatible:<model> (e.g. http://localhost:11434/v1 for Ollama)');
  }
  const apiKey = provider === 'anthropic' ? vars.ANTHROPIC_API_KEY : provider === 'openai' ? vars.OPENAI_API_KEY : vars.SCOUT_MODEL_API_KEY;
  return { provider, modelId, apiKey, baseUrl };
}

/** '256MB', '1GB', '512kB' or bytes. */
function parseSize(value: string): number {
  const match = /^(\d+)(kB|MB|GB)?$/i.exec(value);
  const units: Record<string, number> = { kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
  return Number(match?.[1] ?? 0) * (units[(match?.[2] ?? '').toLowerCase()] ?? 1);
}

function parseDuration(value: string): number {
  const unit = value.at(-1) ?? '';
  const amount = Number.parseInt(value, 10);
  const seconds: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
  return amount * (seconds[unit] ?? 1);
}

function isSecretVariable(name: string): boolean {
  return ['SCOUT_ENCRYPTION_KEYS', 'BETTER_AUTH_SECRET', 'DATABASE_URL', 'MANAGED_DATABASE_URL', 'COMMCARE_OAUTH_CLIENT_SECRET', 'COMMCARE_CONNECT_OAUTH_CLIENT_SECRET', 'ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'SCOUT_MODEL_API_KEY', 'X_OAUTH_CLIENT_SECRET', 'LINKEDIN_OAUTH_CLIENT_SECRET'].includes(name);
}

function oauthProviders(vars: z.infer<typeof envSchema>): OAuthProviderConfig[] {
  const providers: OAuthProviderConfig[] = [];
  if (vars.COMMCARE_OAUTH_CLIENT_ID) {
    providers.push({
      id: 'commcare',
      name: 'CommCare HQ',
      baseUrl: trimEnd(vars.COMMCARE_BASE_URL ?? 'https://www.commcarehq.org', '/'),
      clientId: vars.COMMCARE_OAUTH_CLIENT_ID,
      clientSecret: vars.COMMCARE_OAUTH_CLIENT_SECRET,
    });
  }
  if (vars.COMMCARE_CONNECT_OAUTH_CLIENT_ID) {
    providers.push({
      id: 'commcare_connect',
      name: 'CommCare Connect',
      baseUrl: trimEnd(vars.COMMCARE_CONNECT_BASE_URL ?? 'https://connect.dimagi.com', '/'),
      clientId: vars.COMMCARE_CONNECT_OAUTH_CLIENT_ID,
      clientSecret: vars.COMMCARE_CONNECT_OAUTH_CLIENT_SECRET,
    });
  }
  return providers;
}
