import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LanguageModelV3, LanguageModelV3Middleware, LanguageModelV3StreamPart, LanguageModelV3Usage } from '@ai-sdk/provider';
import { wrapLanguageModel } from 'ai';
import { startSimulator, type RunningSimulator } from '../../../../simulator';
import { loadConfig } from '../../config';
import { startScout, type RunningScout } from '../../main';
import { startEmbeddedPostgres } from '../../platform/db/embedded-postgres';
import { Lifecycle } from '../../platform/lifecycle';
import type { Logger } from '../../platform/logger';
import { findFreePort } from '../../platform/net';
import type { ChatModel } from '../chat/model';
import type { EvalDomain } from './golden';

/** Tokens the model reported for the calls of one answer. */
export interface TokenUsage {
  input: number;
  output: number;
  modelCalls: number;
}

/** Counts the model's reported usage (a middleware on the model Scout is given, so the chat service is untouched). */
export class UsageMeter {
  private usage: TokenUsage = { input: 0, output: 0, modelCalls: 0 };

  /** The usage since the last call, and a fresh count. */
  take(): TokenUsage {
    const taken = this.usage;
    this.usage = { input: 0, output: 0, modelCalls: 0 };
    return taken;
  }

  add(usage: LanguageModelV3Usage): void {
    this.usage.input += usage.inputTokens.total ?? 0;
    this.usage.output += usage.outputTokens.total ?? 0;
    this.usage.modelCalls++;
  }

  wrap(chat: ChatModel): ChatModel {
    const add = (usage: LanguageModelV3Usage) => this.add(usage);
    const middleware: LanguageModelV3Middleware = {
      specificationVersion: 'v3',
      wrapGenerate: async ({ doGenerate }) => {
        const result = await doGenerate();
        add(result.usage);
        return result;
      },
      wrapStream: async ({ doStream }) => {
        const result = await doStream();
        const stream = result.stream.pipeThrough(
          new TransformStream<LanguageModelV3StreamPart, LanguageModelV3StreamPart>({
            transform(part, controller) {
              if (part.type === 'finish') add(part.usage);
              controller.enqueue(part);
            },
          }),
        );
        return { ...result, stream };
      },
    };
    return { label: chat.label, model: wrapLanguageModel({ model: chat.model as LanguageModelV3, middleware }) };
  }
}

export interface EvalEnvironmentOptions {
  model: ChatModel;
  domain: EvalDomain;
  logger: Logger;
  /** An empty database to use; without one a scratch embedded PostgreSQL is started (and removed). */
  databaseUrl?: string;
  /** Model calls per answer (Scout's default otherwise). */
  maxSteps?: number;
}

/** A Scout and a simulator in this process, one user with the eval domain connected and synced. */
export interface EvalEnvironment {
  scout: RunningScout;
  sim: RunningSimulator;
  baseUrl: string;
  userId: string;
  membershipId: string;
  /** The session cookie of the eval user. */
  cookie: string;
  usage: UsageMeter;
  stop(): Promise<void>;
}

export async function startEvalEnvironment(options: EvalEnvironmentOptions): Promise<EvalEnvironment> {
  const { logger, domain } = options;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'scout-eval-'));
  // The embedded server runs as the postgres user when Scout runs as root.
  await chmod(dataDir, 0o755);
  const lifecycle = new Lifecycle(logger);
  const cleanups: Array<() => Promise<void>> = [];
  const stop = async () => {
    await lifecycle.stop();
    for (const cleanup of cleanups.reverse()) await cleanup();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const sim = await startSimulator({ port: 0, rateLimit: false, seed: domain.seed, domains: [domain.domain], cases: domain.cases, formsPerCase: domain.formsPerCase });
    cleanups.push(() => sim.close());
    let databaseUrl = options.databaseUrl;
    if (!databaseUrl) {
      const embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'db'), logger, database: 'postgres' });
      cleanups.push(() => embedded.stop());
      databaseUrl = embedded.url;
    }
    const port = await findFreePort();
    const baseUrl = `http://localhost:${port}`;
    const config = loadConfig({
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      SCOUT_BASE_URL: baseUrl,
      DATABASE_URL: databaseUrl,
      SCOUT_DATA_DIR: dataDir,
      COMMCARE_BASE_URL: sim.url,
      SCOUT_SIMULATOR: 'false',
      SCOUT_CHAT_REQUESTS_PER_MINUTE: '100000',
    });
    const usage = new UsageMeter();
    const scout = await startScout(config, logger, lifecycle, {
      http: true,
      worker: true,
      buildWeb: false,
      appOverrides: { chatModel: usage.wrap(options.model), ...(options.maxSteps ? { chatLimits: { maxSteps: options.maxSteps } } : {}) },
    });

    const signUp = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { origin: baseUrl, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Scout Eval', email: 'eval@example.org', password: 'eval-user-pass-1' }),
    });
    if (!signUp.ok) throw new Error(`signing up the eval user answered ${signUp.status}`);
    const cookie = signUp.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .join('; ');
    const connected = await fetch(`${baseUrl}/api/auth/tenant-credentials/`, {
      method: 'POST',
      headers: { origin: baseUrl, 'content-type': 'application/json', cookie },
      body: JSON.stringify({ provider: 'commcare', tenant_id: domain.domain, credential: 'demo@example.com:demo-key' }),
    });
    if (connected.status !== 201) throw new Error(`connecting ${domain.domain} answered ${connected.status}: ${await connected.text()}`);
    const { membership_id: membershipId } = (await connected.json()) as { membership_id: string };
    const userId = (await scout.database.db.selectFrom('tenant_membership').select('user_id').where('id', '=', membershipId).executeTakeFirstOrThrow()).user_id;
    const membership = await scout.services.tenants.get(userId, membershipId);
    const { run } = await scout.services.warehouse.start(membership, 'full');
    for (;;) {
      const current = (await scout.services.warehouse.runById(run.id))!;
      if (current.state === 'completed') break;
      if (current.state === 'failed') throw new Error(`syncing ${domain.domain} failed: ${current.error ?? 'unknown error'}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { scout, sim, baseUrl, userId, membershipId, cookie, usage, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
