import { Hono } from 'hono';
import { z } from 'zod';
import type { QuestionRun } from '../../../shared/questions';
import { parseBody, parseOptionalBody } from '../../platform/http/body';
import { AppError, validationError } from '../../platform/http/errors';
import type { RateLimit } from '../../platform/rate-limit';
import type { TenantEnv } from '../tenants/scope';
import { tenantContext } from '../tools/context';
import { toolFailureStatus } from '../tools/routes';
import type { ToolService } from '../tools/service';
import { questionInput, questionPatch, runInput } from './input';
import { ParameterError, resolveValues } from './values';
import type { QuestionService } from './service';
import { choiceValues } from './choices';

const listQuery = z.object({
  search: z.string().max(200, 'Search with at most 200 characters').optional(),
  limit: z.coerce.number({ error: 'limit must be a number' }).int('limit must be a whole number').min(1).max(200).optional(),
});

/** Mounted at /api/tenants/<membership id>: the domain's saved questions. */
export function questionsRouter(deps: { questions: QuestionService; tools: ToolService; rateLimit: RateLimit }) {
  const router = new Hono<TenantEnv>();

  router.get('/questions', async (c) => {
    const parsed = listQuery.safeParse(c.req.query());
    if (!parsed.success) throw validationError(parsed.error);
    return c.json(await deps.questions.list(c.get('membership'), parsed.data as { search?: string; limit?: number }));
  });

  router.post('/questions', async (c) => {
    const input = await parseBody(c, questionInput);
    return c.json(await deps.questions.create(c.get('membership'), input), 201);
  });

  router.get('/questions/:id', async (c) => c.json(await deps.questions.get(c.get('membership'), c.req.param('id'))));

  router.patch('/questions/:id', async (c) => {
    const patch = await parseBody(c, questionPatch);
    return c.json(await deps.questions.update(c.get('membership'), c.req.param('id'), patch));
  });

  router.delete('/questions/:id', async (c) => {
    await deps.questions.remove(c.get('membership'), c.req.param('id'));
    return c.body(null, 204);
  });

  // A run is the run_question tool's call: the same checks, caps, scope and audit record as the agent's.
  router.post('/questions/:id/run', async (c) => {
    const membership = c.get('membership');
    const question = await deps.questions.row(membership, c.req.param('id'));
    const { parameters } = await parseOptionalBody(c, runInput);
    try {
      resolveValues(question.parameters, parameters ?? {});
    } catch (error) {
      if (error instanceof ParameterError) {
        const fields = Object.fromEntries(Object.entries(error.fields).map(([name, messages]) => [`parameters.${name}`, messages]));
        throw new AppError(400, 'VALIDATION_ERROR', 'Some parameters need attention', fields);
      }
      throw error;
    }
    const ctx = tenantContext(membership, 'api');
    const waitSeconds = await deps.rateLimit.take(ctx.userId);
    if (waitSeconds) throw new AppError(429, 'RATE_LIMITED', `You are running queries faster than ${deps.rateLimit.limit} a minute. Try again in ${waitSeconds} s.`, undefined, { 'Retry-After': String(waitSeconds) });
    const envelope = await deps.tools.call(ctx, 'run_question', { id: question.id, ...(parameters ? { parameters } : {}) });
    if (!envelope.success) throw new AppError(toolFailureStatus(envelope.error.code), envelope.error.code, envelope.error.message);
    return c.json({ ...(envelope.data as QuestionRun), ...(envelope.warnings ? { warnings: envelope.warnings } : {}) });
  });

  router.get('/questions/:id/parameters/:name/values', async (c) => {
    const membership = c.get('membership');
    const question = await deps.questions.row(membership, c.req.param('id'));
    return c.json({ values: await choiceValues(deps.tools, tenantContext(membership, 'api'), question, c.req.param('name')) });
  });

  return router;
}
