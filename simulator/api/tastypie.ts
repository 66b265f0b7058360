import { UserError, lastParam } from './http';

/**
 * The v0.5 (tastypie) list conventions shared by the case and form
 * resources: limit/offset parsing with tastypie's own messages, naive-date
 * filters, and the `{meta, objects}` envelope with relative next/previous.
 */

export interface Page {
  limit: number;
  offset: number;
}

/** Tastypie's Paginator.get_limit / get_offset: a limit above the maximum (or 0) is capped, not rejected. */
export function parsePage(params: URLSearchParams, defaultLimit: number, maxLimit: number): Page {
  const rawLimit = lastParam(params, 'limit') ?? String(defaultLimit);
  if (!/^\s*[+-]?\d+\s*$/.test(rawLimit)) throw new UserError(`Invalid limit '${rawLimit}' provided. Please provide a positive integer.`);
  let limit = Number(rawLimit);
  if (limit < 0) throw new UserError(`Invalid limit '${rawLimit}' provided. Please provide a positive integer >= 0.`);
  if (limit === 0 || limit > maxLimit) limit = maxLimit;

  const rawOffset = lastParam(params, 'offset') ?? '0';
  if (!/^\s*[+-]?\d+\s*$/.test(rawOffset)) throw new UserError(`Invalid offset '${rawOffset}' provided. Please provide an integer.`);
  const offset = Number(rawOffset);
  if (offset < 0) throw new UserError(`Invalid offset '${rawOffset}' provided. Please provide a positive integer >= 0.`);
  return { limit, offset };
}

/**
 * SimpleSortableResourceMixin.apply_sorting: an unknown field and a field
 * outside Meta.ordering are both 400s, with different messages.
 */
export function checkOrdering(field: string, fields: readonly string[], ordering: readonly string[]): void {
  if (!fields.includes(field)) throw new UserError(`No matching '${field}' field for ordering on.`);
  if (!ordering.includes(field)) throw new UserError(`The '${field}' field does not allow ordering.`);
}

export interface Meta {
  limit: number;
  next: string | null;
  offset: number;
  previous: string | null;
  total_count: number;
}

/** Tastypie's meta: next/previous are relative URLs carrying every original parameter with limit and offset replaced. */
export function listMeta(listPath: string, params: URLSearchParams, page: Page, total: number): Meta {
  const link = (offset: number) => {
    const copy = new URLSearchParams(params);
    copy.set('limit', String(page.limit));
    copy.set('offset', String(offset));
    return `${listPath}?${copy.toString()}`;
  };
  return {
    limit: page.limit,
    next: page.offset + page.limit < total ? link(page.offset + page.limit) : null,
    offset: page.offset,
    previous: page.offset > 0 ? link(Math.max(0, page.offset - page.limit)) : null,
    total_count: total,
  };
}

export function parseBoolean(value: string): boolean {
  return !['', 'false', 'f', 'no', 'n', 'off', '0'].includes(value.toLowerCase());
}
