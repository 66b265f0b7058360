import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const KEY = Buffer.alloc(32, 7).toString('base64');
const SECRET = 'x'.repeat(40);

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv/scout');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({}, '/srv/scout');
    expect(config).toMatchObject({
      env: 'development',
      isProduction: false,
      port: 3000,
      host: '127.0.0.1',
      baseUrl: 'http://localhost:3000',
      databaseUrl: undefined,
      dataDir: path.resolve('/srv/scout', '.scout'),
      logLevel: 'info',
    });
  });

  it('serves the simulator by default outside production only, unless told', () => {
    expect(loadConfig({}).simulator).toBe(true);
    expect(loadConfig({ SCOUT_SIMULATOR: 'off' }).simulator).toBe(false);
    const production = { NODE_ENV: 'production', SCOUT_ENCRYPTION_KEYS: `k1:${KEY}`, BETTER_AUTH_SECRET: SECRET, SCOUT_BASE_URL: 'https://s.example.org' };
    expect(loadConfig(production).simulator).toBe(false);
    expect(loadConfig({ ...production, SCOUT_SIMULATOR: 'true' }).simulator).toBe(true);
    expect(problemsOf({ SCOUT_SIMULATOR: 'maybe' })).toEqual(['SCOUT_SIMULATOR: must be true or false (got "maybe")']);
  });

  it('reads the schema TTL as a duration, 7 days by default', () => {
    expect(loadConfig({}).schemaTtlSeconds).toBe(7 * 86_400);
    expect(loadConfig({ SCOUT_SCHEMA_TTL: '12h' }).schemaTtlSeconds).toBe(43_200);
    expect(loadConfig({ SCOUT_SCHEMA_TTL: '90' }).schemaTtlSeconds).toBe(90);
    expect(problemsOf({ SCOUT_SCHEMA_TTL: 'a week' })[0]).toMatch(/^SCOUT_SCHEMA_TTL: must be a duration/);
  });

  it('treats blank variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }, '/srv').port).toBe(3000);
  });

  it('derives the base URL from PORT and strips a trailing slash from SCOUT_BASE_URL', () => {
    expect(loadConfig({ PORT: '8080' }).baseUrl).toBe('http://localhost:8080');
    expect(loadConfig({ SCOUT_BASE_URL: 'https://scout.example.org/' }).baseUrl).toBe('https://scout.example.org');
  });

  it('reports one line per bad variable, naming it', () => {
    const problems = problemsOf({ PORT: 'eighty', NODE_ENV: 'staging', DATABASE_URL: 'mysql://x', SCOUT_BASE_URL: 'not a url' });
    expect(problems).toHaveLength(4);
    expect(problems.find((p) => p.startsWith('PORT:'))).toContain('whole number');
    expect(problems.find((p) => p.startsWith('PORT:'))).toContain('"eighty"');
    expect(problems.find((p) => p.startsWith('NODE_ENV:'))).toContain('development, production, test');
    expect(problems.find((p) => p.startsWith('DATABASE_URL:'))).toContain('PostgreSQL URL');
    expect(problems.find((p) => p.startsWith('SCOUT_BASE_URL:'))).toContain('http(s) URL');
  });

  it('never echoes the value of a secret variable it rejects', () => {
    const problems = problemsOf({ SCOUT_ENCRYPTION_KEYS: 'k1:tooshort-secret-value', BETTER_AUTH_SECRET: 'short-secret-value' });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).not.toContain('secret-value');
  });

  it('rejects a port out of range', () => {
    expect(problemsOf({ PORT: '70000' })[0]).toMatch(/^PORT: /);
  });

  it('refuses production without keys, an auth secret and a public URL', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['BETTER_AUTH_SECRET', 'SCOUT_BASE_URL', 'SCOUT_ENCRYPTION_KEYS']);
  });

  it('accepts a complete production configuration', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      SCOUT_ENCRYPTION_KEYS: `k2:${KEY},k1:${KEY}`,
      BETTER_AUTH_SECRET: SECRET,
      SCOUT_BASE_URL: 'https://scout.example.org',
      DATABASE_URL: 'postgres://scout:pw@db:5432/scout',
    });
    expect(config.isProduction).toBe(true);
    expect(config.encryptionKeys).toBe(`k2:${KEY},k1:${KEY}`);
  });

  it('reads the chat model and its key for each provider, and the chat limits', () => {
    expect(loadConfig({}).chat).toEqual({ model: undefined, requestsPerMinute: 20, maxSteps: 12, timeoutMs: 180_000 });
    expect(loadConfig({ SCOUT_MODEL: 'anthropic:claude-sonnet-4-5', ANTHROPIC_API_KEY: 'a-key' }).chat.model).toEqual({ provider: 'anthropic', modelId: 'claude-sonnet-4-5', apiKey: 'a-key', baseUrl: undefined });
    expect(loadConfig({ SCOUT_MODEL: 'openai:gpt-4.1-mini', OPENAI_API_KEY: 'o-key' }).chat.model).toMatchObject({ provider: 'openai', modelId: 'gpt-4.1-mini', apiKey: 'o-key' });
    expect(loadConfig({ SCOUT_MODEL: 'openai-compatible:llama3.1:8b', SCOUT_MODEL_BASE_URL: 'http://localhost:11434/v1/' }).chat.model).toEqual({
      provider: 'openai-compatible',
      modelId: 'llama3.1:8b',
      apiKey: undefined,
      baseUrl: 'http://localhost:11434/v1',
    });
    expect(loadConfig({ SCOUT_CHAT_REQUESTS_PER_MINUTE: '5', SCOUT_CHAT_MAX_STEPS: '6', SCOUT_CHAT_TIMEOUT: '2m' }).chat).toMatchObject({ requestsPerMinute: 5, maxSteps: 6, timeoutMs: 120_000 });
  });

  it('reads the query capacity and the embedded database memory per connection', () => {
    expect(loadConfig({}).queries).toEqual({ requestsPerMinute: 120, perUser: 2, perDomain: 4 });
    expect(loadConfig({ SCOUT_QUERY_REQUESTS_PER_MINUTE: '30', SCOUT_QUERIES_PER_USER: '1', SCOUT_QUERIES_PER_DOMAIN: '8' }).queries).toEqual({ requestsPerMinute: 30, perUser: 1, perDomain: 8 });
    expect(loadConfig({}).dbMemoryPerConnection).toBe(256 * 1024 * 1024);
    expect(loadConfig({ SCOUT_DB_MEMORY_PER_CONNECTION: '1GB' }).dbMemoryPerConnection).toBe(1024 ** 3);
    expect(loadConfig({ SCOUT_DB_MEMORY_PER_CONNECTION: '0' }).dbMemoryPerConnection).toBe(0);
    expect(problemsOf({ SCOUT_DB_MEMORY_PER_CONNECTION: 'lots' })).toEqual(['SCOUT_DB_MEMORY_PER_CONNECTION: must be a size like 256MB or 1GB (0 for no limit) (got "lots")']);
    expect(problemsOf({ SCOUT_QUERIES_PER_USER: '0' })).toEqual(['SCOUT_QUERIES_PER_USER: must be at least 1 (got "0")']);
  });

  it('reads the export caps, refusing a zero that would mean no limit and a long value before any pattern', () => {
    expect(loadConfig({}).exports).toEqual({ maxRows: 1_000_000, maxBytes: 1024 ** 3, timeoutMs: 600_000 });
    expect(loadConfig({ SCOUT_EXPORT_MAX_ROWS: '5000', SCOUT_EXPORT_MAX_SIZE: '500MB', SCOUT_EXPORT_TIMEOUT: '2m' }).exports).toEqual({ maxRows: 5000, maxBytes: 500 * 1024 ** 2, timeoutMs: 120_000 });
    expect(problemsOf({ SCOUT_EXPORT_TIMEOUT: '0', SCOUT_EXPORT_MAX_SIZE: '0MB' })).toEqual([
      'SCOUT_EXPORT_MAX_SIZE: must be more than 0 (got "0MB")',
      'SCOUT_EXPORT_TIMEOUT: must be more than 0 (got "0")',
    ]);
    expect(problemsOf({ SCOUT_EXPORT_TIMEOUT: '1'.repeat(10_000) + 'x' })).toEqual([expect.stringMatching(/^SCOUT_EXPORT_TIMEOUT: must be a duration like 600s or 10m/)]);
  });

  it('reads the hosts outbound calls may reach although private (SCOUT_EGRESS_ALLOW), empty by default', () => {
    expect(loadConfig({}).egressAllow).toEqual([]);
    expect(loadConfig({ SCOUT_EGRESS_ALLOW: ' localhost:8080, wordpress.internal ,,[::1]:9000' }).egressAllow).toEqual(['localhost:8080', 'wordpress.internal', '[::1]:9000']);
    expect(problemsOf({ SCOUT_EGRESS_ALLOW: 'localhost:80,https://wp.internal' })).toEqual([
      'SCOUT_EGRESS_ALLOW: must be a comma-separated list of hosts or host:port, e.g. localhost:8080,wordpress.internal: "https://wp.internal" is a URL; give only the host (and port), e.g. localhost:8080 (got "localhost:80,https://wp.internal")',
    ]);
  });

  it('explains a chat model that cannot work, without echoing keys', () => {
    expect(problemsOf({ SCOUT_MODEL: 'gpt-4' })).toEqual([expect.stringMatching(/^SCOUT_MODEL: must be anthropic:<model>, openai:<model> or openai-compatible:<model>/)]);
    expect(problemsOf({ SCOUT_MODEL: 'anthropic:claude' })).toEqual(['ANTHROPIC_API_KEY: required when SCOUT_MODEL is anthropic:<model>']);
    expect(problemsOf({ SCOUT_MODEL: 'openai:gpt' })).toEqual(['OPENAI_API_KEY: required when SCOUT_MODEL is openai:<model>']);
    expect(problemsOf({ SCOUT_MODEL: 'openai-compatible:x' })).toEqual([expect.stringContaining('SCOUT_MODEL_BASE_URL: required')]);
    expect(problemsOf({ SCOUT_CHAT_MAX_STEPS: '0', OPENAI_API_KEY: '' })).toEqual(['SCOUT_CHAT_MAX_STEPS: must be at least 1 (got "0")']);
  });
});
