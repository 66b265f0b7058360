import { Hono } from 'hono';
import { chatRequestSchema, renameThreadSchema } from '../../../shared/chat';
import { ERROR_CODES } from '../../../shared/errors';
import { parseBody } from '../../platform/http/body';
import type { AppEnv } from '../../platform/http/env';
import { AppError } from '../../platform/http/errors';
import type { RateLimit } from '../../platform/rate-limit';
import { modelStatus } from './model';
import { presentThread, presentThreadWithMessages } from './presenter';
import type { ChatService } from './service';

/** Mounted at /api/chat behind the session check: the agent endpoint `useChat` talks to. */
export function chatRouter(deps: { chat: ChatService; rateLimit: RateLimit }) {
  const router = new Hono<AppEnv>();

  router.get('/model', (c) => c.json(modelStatus(deps.chat.model)));

  router.post('/', async (c) => {
    const user = c.get('user');
    const waitSeconds = await deps.rateLimit.take(user.id);
    if (waitSeconds) {
      throw new AppError(429, ERROR_CODES.rateLimited, `You are asking faster than ${deps.rateLimit.limit} questions a minute. Try again in ${waitSeconds} s.`, undefined, {
        'Retry-After': String(waitSeconds),
      });
    }
    const request = await parseBody(c, chatRequestSchema);
    return deps.chat.answer(user.id, request, c.req.raw.signal);
  });

  return router;
}

/** Mounted under /api/tenants (session checked there): the user's threads about one domain. */
export function threadsRouter(deps: { chat: ChatService }) {
  const router = new Hono<AppEnv>();

  router.get('/:membershipId/threads', async (c) => {
    const rows = await deps.chat.threads(c.get('user').id, c.req.param('membershipId'));
    return c.json(rows.map(presentThread));
  });

  router.get('/:membershipId/threads/:threadId', async (c) => {
    const { thread, messages } = await deps.chat.thread(c.get('user').id, c.req.param('membershipId'), c.req.param('threadId'));
    return c.json(presentThreadWithMessages(thread, messages));
  });

  router.patch('/:membershipId/threads/:threadId', async (c) => {
    const { title } = await parseBody(c, renameThreadSchema);
    return c.json(presentThread(await deps.chat.rename(c.get('user').id, c.req.param('membershipId'), c.req.param('threadId'), title)));
  });

  router.delete('/:membershipId/threads/:threadId', async (c) => {
    await deps.chat.deleteThread(c.get('user').id, c.req.param('membershipId'), c.req.param('threadId'));
    return c.body(null, 204);
  });

  return router;
}
