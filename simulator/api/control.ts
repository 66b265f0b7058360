import { type Hono } from 'hono';
import { z } from 'zod';
import { type SimContext, type SimEnv } from './env';
import { badRequest, jsonResponse } from './http';
import { faultPatchSchema } from '../faults';
import { DEFAULT_CLIENTS } from '../oauth';
import { isLocationRestricted } from '../roles';

/**
 * /_sim: the simulator's own control surface (not part of HQ's API, no
 * authentication: it only ever holds generated data). Faults, change over
 * time, and token expiry for tests.
 */

// Keeps the overlay (and the JSON summary listing every changed id) small.
const MAX_CHANGE = 100_000;
const mutationSchema = z.strictObject({
  modify: z.number().int().min(0).max(MAX_CHANGE).optional(),
  create: z.number().int().min(0).max(MAX_CHANGE).optional(),
  close: z.number().int().min(0).max(MAX_CHANGE).optional(),
});

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') return {};
  return JSON.parse(text) as unknown;
}

function issues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
}

export function registerControl(app: Hono<SimEnv>, ctx: SimContext, info: { seed: number }): void {
  app.get('/_sim', (c) =>
    jsonResponse(c, {
      seed: info.seed,
      basePath: ctx.basePath,
      domains: [...ctx.domains.values()].map((d) => ({
        domain: d.domain,
        project_name: d.gen.program.projectName,
        cases: d.caseCount(),
        forms: d.formCount(),
        version: d.version,
      })),
      users: ctx.users.users.map((u) => ({
        username: u.username,
        email: u.email,
        password: u.password,
        apiKey: u.apiKey,
        domains: u.domains,
        roles: Object.fromEntries(
          Object.entries(u.roles).map(([domain, role]) => [domain, { role: role.name, isAdmin: role.isAdmin, locationSiteCodes: isLocationRestricted(role) ? role.locationSiteCodes : null }]),
        ),
      })),
      restrictedUserAccess: ctx.restrictedUserAccess,
      oauthClients: DEFAULT_CLIENTS,
      faults: ctx.faults.settings,
    }),
  );

  app.get('/_sim/faults', (c) => jsonResponse(c, ctx.faults.settings));
  app.post('/_sim/faults', async (c) => {
    let body: unknown;
    try {
      body = await readJson(c.req.raw);
    } catch {
      return badRequest(c, 'Body must be JSON.');
    }
    const parsed = faultPatchSchema.safeParse(body);
    if (!parsed.success) return badRequest(c, issues(parsed.error));
    return jsonResponse(c, ctx.faults.set(parsed.data));
  });
  app.delete('/_sim/faults', (c) => jsonResponse(c, ctx.faults.reset()));

  app.post('/_sim/domains/:domain/mutate', async (c) => {
    const data = ctx.domains.get(c.req.param('domain'));
    if (!data) return jsonResponse(c, { error: `Unknown domain '${c.req.param('domain')}'.` }, 404);
    let body: unknown;
    try {
      body = await readJson(c.req.raw);
    } catch {
      return badRequest(c, 'Body must be JSON.');
    }
    const parsed = mutationSchema.safeParse(body);
    if (!parsed.success) return badRequest(c, issues(parsed.error));
    return jsonResponse(c, data.mutate(parsed.data));
  });

  app.post('/_sim/tokens/expire', async (c) => {
    let body: unknown;
    try {
      body = await readJson(c.req.raw);
    } catch {
      return badRequest(c, 'Body must be JSON.');
    }
    const parsed = z.strictObject({ access_token: z.string().optional() }).safeParse(body);
    if (!parsed.success) return badRequest(c, issues(parsed.error));
    return jsonResponse(c, { expired: ctx.oauth.expireAccessTokens(parsed.data.access_token) });
  });
}
