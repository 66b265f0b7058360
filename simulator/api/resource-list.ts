import { type Context, type Hono } from 'hono';
import { type SimContext, type SimEnv } from './env';
import { type AccessPolicy, type GuardFor } from './guard';
import { UserError, badRequest, jsonResponse, queryParams } from './http';
import { listMeta, parsePage } from './tastypie';
import { type JsonObject } from '../generator/forms';

/**
 * A small tastypie resource over an in-memory list (users, groups,
 * locations, lookup tables): the `{meta, objects}` envelope with offset
 * paging and relative next/previous, and a detail route answering 404 with
 * an empty body for an unknown id (tastypie's HttpNotFound).
 */

export interface ResourceSpec<T> {
  /** URL forms, e.g. ['v0.5/user', 'user/v1']: `/a/<domain>/api/<flavour>/`. */
  flavours: readonly string[];
  policy: AccessPolicy;
  /** tastypie's Meta.limit (0: up to max_limit) and max_limit. */
  defaultLimit: number;
  maxLimit: number;
  /** The objects this request may see, in HQ's order; throws UserError for a 400. */
  list(c: Context<SimEnv>, params: URLSearchParams): readonly T[];
  idOf(item: T): string;
  present(item: T, c: Context<SimEnv>, listPath: string): JsonObject;
}

export function listPathOf(c: Context<SimEnv>, ctx: SimContext, flavour: string): string {
  return `${ctx.basePath}/a/${c.get('data').domain}/api/${flavour}/`;
}

export function registerResource<T>(app: Hono<SimEnv>, ctx: SimContext, guardFor: GuardFor, spec: ResourceSpec<T>): void {
  const guard = guardFor(spec.policy);
  for (const flavour of spec.flavours) {
    app.get(`/a/:domain/api/${flavour}`, guard, (c) => {
      const params = queryParams(c);
      const listPath = listPathOf(c, ctx, flavour);
      try {
        const page = parsePage(params, spec.defaultLimit, spec.maxLimit);
        const items = spec.list(c, params);
        const objects = items.slice(page.offset, page.offset + page.limit).map((item) => spec.present(item, c, listPath));
        return jsonResponse(c, { meta: listMeta(listPath, params, page, items.length), objects });
      } catch (error) {
        if (error instanceof UserError) return badRequest(c, error.message);
        throw error;
      }
    });
    app.get(`/a/:domain/api/${flavour}/:id`, guard, (c) => {
      const id = c.req.param('id');
      const item = spec.list(c, new URLSearchParams()).find((candidate) => spec.idOf(candidate) === id);
      return item === undefined ? c.body(null, 404) : jsonResponse(c, spec.present(item, c, listPathOf(c, ctx, flavour)));
    });
  }
}
