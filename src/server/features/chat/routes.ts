import { Hono } from 'hono';
import { chatRequestSchema, renameThreadSchema } from '../../../shared/chat';
import { ERROR_CODES } from '../../../shared/errors';
import { parseBody } from '../../platform/http/body';
import type { AppEnv } from '../../platform/http/env';
import { AppError } from '../../platform/http/errors';
import type { RateLimit } from '../../platform/rate-limit';
import { modelStatus } from './model';
import { presentThread, presentThreadWithMessages } from './presenter';
import type { TenantEnv } from '../tenants/scope';
import type { TenantService } from '../tenants/service';
import type { ChatService } from './service';

type ChatDeps = { chat: ChatService; rateLimit: RateLimit };

/** 429 when the user asks faster than their limit. */
async function limitQuestions(deps: ChatDeps, userId: string): Promise<void> {
  const waitSeconds = await deps.rateLimit.take(userId);
  if (waitSeconds) {
    throw new AppError(429, ERROR_CODES.rateLimited, `You are asking faster than ${deps.rateLimit.limit} questions a minute. Try again in ${waitSeconds} s.`, undefined, {
      'Retry-After': String(waitSeconds),
    });
  }
}

/**
 * Mounted at /api/chat behind the session check: the model's status, and the
 * agent endpoint as it was before it moved under the tenant scope (the domain
 * named by `data.tenantId`, a membership id), kept for API clients.
 */
export function chatRouter(deps: ChatDeps & { tenants: TenantService }) {
  const router = new Hono<AppEnv>();
  router.get('/model', (c) => c.json(modelStatus(deps.chat.model)));
  router.post('/', async (c) => {
    await limitQuestions(deps, c.get('user').id);
    const request = await parseBody(c, chatRequestSchema);
    return deps.chat.answer(await deps.tenants.get(c.get('user').id, request.data.tenantId ?? ''), request, c.req.raw.signal);
  });
  return router;
}

/** Mounted at /api/tenants/<membership id>/chat (tenant scope resolved there): the endpoint `useChat` talks to. */
export function scopedChatRouter(deps: ChatDeps) {
  const router = new Hono<TenantEnv>();
  router.post('/', async (c) => {
    await limitQuestions(deps, c.get('user').id);
    return deps.chat.answer(c.get('membership'), await parseBody(c, chatRequestSchema), c.req.raw.signal);
  });
  return router;
}

/** Mounted at /api/tenants/<membership id> (tenant scope resolved there): the user's threads about one domain. */
export function threadsRouter(deps: { chat: ChatService }) {
  const router = new Hono<TenantEnv>();

  router.get('/threads', async (c) => {
    const rows = await deps.chat.threads(c.get('membership'));
    return c.json(rows.map(presentThread));
  });

  router.get('/threads/:threadId', async (c) => {
    const { thread, messages } = await deps.chat.thread(c.get('membership'), c.req.param('threadId'));
    return c.json(presentThreadWithMessages(thread, messages));
  });

  router.patch('/threads/:threadId', async (c) => {
    const { title } = await parseBody(c, renameThreadSchema);
    return c.json(presentThread(await deps.chat.rename(c.get('membership'), c.req.param('threadId'), title)));
  });

  router.delete('/threads/:threadId', async (c) => {
    await deps.chat.deleteThread(c.get('membership'), c.req.param('threadId'));
    return c.body(null, 204);
  });

  return router;
}
