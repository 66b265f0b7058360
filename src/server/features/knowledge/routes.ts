import { Hono } from 'hono';
import { z } from 'zod';
import { descriptionInput, entryPatch, glossaryInput, learningInput, measureInput, reviewInput, searchInput, suggestionInput, verifiedQueryInput } from '../../../shared/knowledge';
import { parseBody, parseOptionalBody } from '../../platform/http/body';
import { validationError } from '../../platform/http/errors';
import type { TenantEnv } from '../tenants/scope';
import type { KnowledgeService } from './service';

const statusQuery = z.object({ status: z.enum(['pending', 'accepted', 'rejected'], { error: 'status is pending, accepted or rejected' }).optional() });
const historyQuery = z.object({ entry: z.string().max(100).optional() });

function query<S extends z.ZodType>(schema: S, raw: Record<string, string>): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** Mounted at /api/tenants/<membership id>: the domain's knowledge. */
export function knowledgeRouter(deps: { knowledge: KnowledgeService }) {
  const router = new Hono<TenantEnv>();
  const k = deps.knowledge;

  router.get('/knowledge', async (c) => c.json(await k.layer(c.get('membership'))));
  router.post('/knowledge/propose', async (c) => c.json(await k.propose(c.get('membership'))));

  router.get('/knowledge/glossary', async (c) => c.json(await k.list(c.get('membership'), ['glossary'])));
  router.post('/knowledge/glossary', async (c) => c.json(await k.createGlossary(c.get('membership'), await parseBody(c, glossaryInput)), 201));
  router.get('/knowledge/measures', async (c) => c.json(await k.list(c.get('membership'), ['measure'])));
  router.post('/knowledge/measures', async (c) => c.json(await k.createMeasure(c.get('membership'), await parseBody(c, measureInput)), 201));
  router.get('/knowledge/descriptions', async (c) => c.json(await k.list(c.get('membership'), ['table', 'column', 'value'])));
  router.put('/knowledge/descriptions', async (c) => c.json(await k.setDescription(c.get('membership'), await parseBody(c, descriptionInput))));

  router.patch('/knowledge/entries/:id', async (c) => c.json(await k.update(c.get('membership'), c.req.param('id'), await parseBody(c, entryPatch))));
  router.delete('/knowledge/entries/:id', async (c) => {
    await k.remove(c.get('membership'), c.req.param('id'));
    return c.body(null, 204);
  });
  router.get('/knowledge/entries/:id/history', async (c) => c.json(await k.history(c.get('membership'), c.req.param('id'))));
  router.get('/knowledge/history', async (c) => c.json(await k.history(c.get('membership'), query(historyQuery, c.req.query()).entry)));

  router.get('/knowledge/suggestions', async (c) => c.json(await k.suggestions(c.get('membership'), query(statusQuery, c.req.query()).status)));
  router.post('/knowledge/suggestions', async (c) => c.json(await k.suggest(c.get('membership'), await parseBody(c, suggestionInput)), 201));
  router.post('/knowledge/suggestions/:id/accept', async (c) => c.json(await k.accept(c.get('membership'), c.req.param('id'), (await parseOptionalBody(c, reviewInput)).note)));
  router.post('/knowledge/suggestions/:id/reject', async (c) => c.json(await k.reject(c.get('membership'), c.req.param('id'), (await parseOptionalBody(c, reviewInput)).note)));

  router.get('/knowledge/verified-queries', async (c) => c.json(await k.verifiedQueries(c.get('membership'))));
  router.post('/knowledge/verified-queries', async (c) => c.json(await k.verify(c.get('membership'), await parseBody(c, verifiedQueryInput)), 201));
  router.delete('/knowledge/verified-queries/:id', async (c) => {
    await k.unverify(c.get('membership'), c.req.param('id'));
    return c.body(null, 204);
  });

  router.get('/knowledge/learnings', async (c) => c.json(await k.learnings(c.get('membership'), query(statusQuery, c.req.query()).status)));
  router.post('/knowledge/learnings', async (c) => c.json(await k.learn(c.get('membership'), await parseBody(c, learningInput)), 201));
  router.post('/knowledge/learnings/:id/accept', async (c) =>
    c.json(await k.reviewLearning(c.get('membership'), c.req.param('id'), 'accepted', (await parseOptionalBody(c, reviewInput)).note)),
  );
  router.post('/knowledge/learnings/:id/reject', async (c) =>
    c.json(await k.reviewLearning(c.get('membership'), c.req.param('id'), 'rejected', (await parseOptionalBody(c, reviewInput)).note)),
  );

  // Retrieval, as the search_knowledge tool does it: POST so that a long question needn't go in the URL.
  router.post('/knowledge/search', async (c) => c.json(await k.search(c.get('membership'), (await parseBody(c, searchInput)).text)));

  return router;
}
