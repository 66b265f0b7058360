import type pg from 'pg';
import { randomUUID } from 'node:crypto';
import { consumeStream, convertToModelMessages, stepCountIs, streamText, type UIMessage } from 'ai';
import type { Kysely } from 'kysely';
import { MAX_QUESTION_CHARS, MAX_THREAD_TITLE_CHARS, type ChatMessageMetadata, type ChatRequest } from '../../../shared/chat';
import { ERROR_CODES } from '../../../shared/errors';
import type { Database } from '../../platform/db/schema';
import { AppError, notFound } from '../../platform/http/errors';
import type { Logger } from '../../platform/logger';
import { authorize } from '../../platform/permissions';
import { isUuid, type MembershipRow } from '../tenants/repo';
import type { TenantService } from '../tenants/service';
import { tenantContext, type TenantContext } from '../tools/context';
import type { ToolService } from '../tools/service';
import type { WarehouseService } from '../warehouse/service';
import { agentTools } from './agent-tools';
import { trimHistory } from './history';
import { NO_MODEL_HELP, type ChatModel } from './model';
import { systemPrompt, type PromptKnowledge } from './prompt';
import { knowledgeContext } from '../knowledge/context';
import { searchKnowledge } from '../knowledge/retrieval';
import { ensureProposed } from '../knowledge/service';
import { ChatRepo, type ThreadRow } from './repo';

export interface ChatLimits {
  /** Model calls per answer; the last one must answer in words. */
  maxSteps: number;
  /** An answer taking longer is stopped. */
  timeoutMs: number;
  /** Tokens of history (beyond the system prompt) sent with each question. */
  historyTokens: number;
}

export interface ChatServiceDeps {
  db: Kysely<Database>;
  tenants: TenantService;
  tools: ToolService;
  warehouse: WarehouseService;
  logger: Logger;
  model: ChatModel | undefined;
  limits: ChatLimits;
  /** The managed database holding tenant schemas: the knowledge layer is proposed from the synced dictionary. */
  warehousePool: pg.Pool;
  now?: () => Date;
}

export const DEFAULT_CHAT_LIMITS: ChatLimits = { maxSteps: 12, timeoutMs: 180_000, historyTokens: 24_000 };

/** Threads and the agent: one answer per request, streamed as the AI SDK UI message stream. */
export class ChatService {
  readonly repo: ChatRepo;

  constructor(private readonly deps: ChatServiceDeps) {
    this.repo = new ChatRepo(deps.db);
  }

  get model(): ChatModel | undefined {
    return this.deps.model;
  }

  threads(membership: MembershipRow): Promise<ThreadRow[]> {
    return this.repo.list(membership.user_id, membership.tenant_id);
  }

  async thread(membership: MembershipRow, threadId: string): Promise<{ thread: ThreadRow; messages: UIMessage[] }> {
    const thread = await this.ownThread(membership, threadId);
    return { thread, messages: await this.repo.messages(thread.id) };
  }

  async rename(membership: MembershipRow, threadId: string, title: string): Promise<ThreadRow> {
    const thread = await this.ownThread(membership, threadId);
    return this.repo.rename(thread.id, title);
  }

  async deleteThread(membership: MembershipRow, threadId: string): Promise<void> {
    const thread = await this.ownThread(membership, threadId);
    await this.repo.delete(thread.id);
  }

  /**
   * Answers the last message of the request in its thread. The history sent to
   * the model is the stored thread, not what the client claims it was.
   */
  async answer(membership: MembershipRow, request: ChatRequest, clientSignal: AbortSignal): Promise<Response> {
    authorize(membership, 'chat.use');
    const ctx = tenantContext(membership, 'chat');
    const userId = membership.user_id;
    const model = this.deps.model;
    if (!model) throw new AppError(503, 'MODEL_NOT_CONFIGURED', NO_MODEL_HELP);
    const question = userQuestion(request);

    const thread = await this.repo.ensure({ id: request.data.threadId, userId, tenantId: ctx.membership.tenant_id, title: titleFrom(question.text) });
    if (thread.user_id !== userId || thread.tenant_id !== ctx.membership.tenant_id) throw notFound('This conversation');
    await this.repo.put(thread.id, question.message);
    const history = await this.repo.messages(thread.id);

    const summary = await this.deps.warehouse.summary(ctx.membership);
    const knowledge = summary.tables.length > 0 ? await this.knowledgeFor(ctx, question.text, thread.id) : undefined;
    const system = systemPrompt({
      tenantName: ctx.membership.tenant_name,
      domain: ctx.membership.domain,
      tables: summary.tables,
      lastSyncAt: summary.last_sync_at ? new Date(summary.last_sync_at) : null,
      syncRunning: summary.running !== null,
      maxRows: ctx.maxRowsPerQuery,
      now: (this.deps.now ?? (() => new Date()))(),
      ...(knowledge ? { knowledge } : {}),
    });
    const tools = agentTools(this.deps.tools, ctx);
    const { maxSteps, timeoutMs, historyTokens } = this.deps.limits;

    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([clientSignal, timeout]);
    const log = this.deps.logger.child({ threadId: thread.id, tenantId: ctx.membership.tenant_id, model: model.label });
    const started = Date.now();

    const result = streamText({
      model: model.model,
      system,
      messages: await convertToModelMessages(trimHistory(history, historyTokens), { tools, ignoreIncompleteToolCalls: true }),
      tools,
      stopWhen: stepCountIs(maxSteps),
      // The last allowed step answers in words, so a long exploration still ends with an answer.
      prepareStep: ({ stepNumber }) => (stepNumber >= maxSteps - 1 ? { toolChoice: 'none' } : undefined),
      abortSignal: signal,
      onError: ({ error }) => log.warn({ err: describeError(error) }, 'chat model error'),
    });

    return result.toUIMessageStreamResponse({
      originalMessages: history,
      generateMessageId: randomUUID,
      sendReasoning: false,
      messageMetadata: ({ part }): ChatMessageMetadata | undefined => (part.type === 'abort' ? { stopped: timeout.aborted ? 'timeout' : 'user' } : undefined),
      onError: (error) => {
        if (timeout.aborted) return `The answer took longer than ${Math.round(timeoutMs / 1000)} seconds and was stopped. Try a narrower question.`;
        if (error instanceof Error && error.name === 'AI_ToolChoiceViolationError') {
          return `The agent used all ${maxSteps} of its steps exploring without answering. Ask a narrower question, or split it in two.`;
        }
        return modelErrorMessage(error);
      },
      onFinish: async ({ responseMessage, isAborted }) => {
        log.info({ ms: Date.now() - started, aborted: isAborted, parts: responseMessage.parts.length }, 'chat answer finished');
        if (responseMessage.parts.length === 0) return;
        try {
          await this.repo.put(thread.id, responseMessage);
        } catch (error) {
          log.error({ err: describeError(error) }, 'could not store the chat answer');
        }
      },
      // Runs the stream to its end even when the browser goes away, so onFinish stores what was said.
      consumeSseStream: consumeStream,
    });
  }

  /**
   * The domain's glossary and measures, and the verified queries and reviewed
   * corrections nearest to the question (PostgreSQL full-text search). A
   * failure here costs the answer its knowledge, not the answer.
   */
  private async knowledgeFor(ctx: TenantContext, text: string, threadId: string): Promise<PromptKnowledge | undefined> {
    try {
      await ensureProposed(this.deps.db, this.deps.warehousePool, ctx.membership);
      const [known, matches] = await Promise.all([knowledgeContext(this.deps.db, ctx.membership.tenant_id), searchKnowledge(this.deps.db, ctx.membership.tenant_id, text)]);
      return {
        glossary: known.glossary,
        measures: known.measures,
        verified: matches.verified_queries.map((q) => ({ question: q.question, sql: q.sql })),
        // Stated answers were computed over the whole domain: a member CommCare restricts gets the SQL, not the figures.
        corrections: matches.learnings.map((l) => ({ question: l.question, corrected_sql: l.corrected_sql, correct_answer: ctx.scope ? null : l.correct_answer, note: l.note })),
      };
    } catch (error) {
      this.deps.logger.warn({ threadId, err: describeError(error) }, 'could not read the domain knowledge for the chat');
      return undefined;
    }
  }

  private async ownThread(membership: MembershipRow, threadId: string): Promise<ThreadRow> {
    const thread = isUuid(threadId) ? await this.repo.find(threadId) : undefined;
    if (!thread || thread.user_id !== membership.user_id || thread.tenant_id !== membership.tenant_id) throw notFound('This conversation');
    return thread;
  }
}

/** The question: the request's last message, as plain text parts (anything else a client sends is dropped). */
function userQuestion(request: ChatRequest): { message: UIMessage; text: string } {
  const last = request.messages.at(-1)!;
  if (last.role !== 'user') {
    throw new AppError(400, ERROR_CODES.validation, 'The last message must be the question', { messages: ['The last message must be from the user'] });
  }
  const texts = last.parts.flatMap((part) => (part.type === 'text' && typeof part.text === 'string' ? [part.text] : []));
  const text = texts.join('\n').trim();
  if (!text) throw new AppError(400, ERROR_CODES.validation, 'Ask a question', { messages: ['The question is empty'] });
  if (text.length > MAX_QUESTION_CHARS) {
    throw new AppError(413, ERROR_CODES.validation, `The question is too long (${text.length} characters; the limit is ${MAX_QUESTION_CHARS})`, {
      messages: [`Keep the question under ${MAX_QUESTION_CHARS} characters`],
    });
  }
  return { message: { id: last.id, role: 'user', parts: texts.map((t) => ({ type: 'text', text: t })) }, text };
}

function titleFrom(question: string): string {
  const line = question.replace(/\s+/g, ' ').trim();
  return line.length <= MAX_THREAD_TITLE_CHARS ? line : `${line.slice(0, MAX_THREAD_TITLE_CHARS - 1).trimEnd()}…`;
}

/** What the user is told when the model provider fails: the kind of failure, never a key or a raw payload. */
export function modelErrorMessage(failure: unknown): string {
  // After its retries the AI SDK wraps the provider's last error.
  const error = typeof failure === 'object' && failure && 'lastError' in failure ? (failure as { lastError: unknown }).lastError : failure;
  const status = typeof error === 'object' && error && 'statusCode' in error ? Number((error as { statusCode: unknown }).statusCode) : undefined;
  if (status === 401 || status === 403) return 'The language model provider refused Scout’s API key. Ask your administrator to check the model configuration.';
  if (status === 429) return 'The language model provider is rate limiting Scout. Wait a minute and try again.';
  if (status !== undefined && status >= 500) return 'The language model provider is having problems. Try again in a moment.';
  if (status === 404) return 'The configured model was not found at the provider. Ask your administrator to check SCOUT_MODEL.';
  return 'The answer could not be completed because the language model failed. Try again.';
}

/**
 * Log-safe error summary: name, status and the message with anything that
 * looks like a key blanked (provider errors quote request bodies and headers,
 * and some echo the key they refused).
 */
export function describeError(error: unknown): Record<string, unknown> {
  const message = redactKeys((error instanceof Error ? error.message : String(error)).slice(0, 500));
  const status = error instanceof Error ? (error as { statusCode?: unknown }).statusCode : undefined;
  return { ...(error instanceof Error ? { name: error.name } : {}), message, ...(status !== undefined ? { status } : {}) };
}

const KEY_LIKE = [/\b(sk|pk|rk|key|api|token)[-_][\w-]{6,}/gi, /\bbearer\s+[\w.~+/-]+=*/gi, /[A-Za-z0-9_-]{32,}/g];

export function redactKeys(text: string): string {
  return KEY_LIKE.reduce((out, pattern) => out.replace(pattern, '[redacted]'), text);
}
