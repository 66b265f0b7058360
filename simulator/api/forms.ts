import { type Context, type Hono } from 'hono';
import { type SimContext, type SimEnv } from './env';
import { EsQueryError } from './es-terms';
import { selectForms } from './form-query';
import { type GuardFor } from './guard';
import { UserError, badRequest, errorPage, jsonResponse, queryParams } from './http';
import { formV05 } from './presenters';
import { listMeta, parsePage } from './tastypie';

/**
 * GET /a/<domain>/api/v0.5/form/ (alias /api/form/v1/): tastypie offset
 * paging, newest received first unless order_by says otherwise, filtered as
 * form-query.ts describes.
 */

const FLAVOURS = ['v0.5/form', 'form/v1'] as const;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;

function listForms(c: Context<SimEnv>, ctx: SimContext, flavour: string): Response {
  const data = c.get('data');
  const params = queryParams(c);
  const listPath = `${ctx.basePath}/a/${data.domain}/api/${flavour}/`;
  try {
    const page = parsePage(params, DEFAULT_LIMIT, MAX_LIMIT);
    const selection = selectForms(data, params, c.get('scope'));
    const objects = [];
    const end = Math.min(selection.count, page.offset + page.limit);
    for (let k = page.offset; k < end; k++) {
      const record = data.formAt(selection.at(k));
      objects.push(formV05(record, `${listPath}${record.id}/`));
    }
    return jsonResponse(c, { meta: listMeta(listPath, params, page, selection.count), objects });
  } catch (error) {
    if (error instanceof UserError) return badRequest(c, error.message);
    if (error instanceof EsQueryError) return errorPage(c, 500);
    throw error;
  }
}

export function registerForms(app: Hono<SimEnv>, ctx: SimContext, guardFor: GuardFor): void {
  // XFormInstanceResource: RequirePermissionAuthentication(edit_data); not @location_safe.
  const guard = guardFor({ permission: 'edit_data', locationSafe: false });
  for (const flavour of FLAVOURS) app.get(`/a/:domain/api/${flavour}`, guard, (c) => listForms(c, ctx, flavour));
}
