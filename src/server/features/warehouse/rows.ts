import type { CaseV2, FormV05 } from '../commcare/types';

/**
 * CommCare records as rows of the warehouse tables, in COPY's CSV format.
 * Column order here is the order of CASE_COLUMNS / FORM_COLUMNS.
 */
export const CASE_COLUMNS = [
  'case_id',
  'case_type',
  'case_name',
  'external_id',
  'owner_id',
  'date_opened',
  'last_modified',
  'server_last_modified',
  'indexed_on',
  'closed',
  'date_closed',
  'indices',
  'properties',
] as const;

export const FORM_COLUMNS = ['form_id', 'xmlns', 'form_name', 'app_id', 'received_on', 'server_modified_on', 'indexed_on', 'user_id', 'case_ids', 'form'] as const;

export const CASES_DDL = `(
  case_id text NOT NULL, case_type text, case_name text, external_id text, owner_id text,
  date_opened timestamptz, last_modified timestamptz, server_last_modified timestamptz, indexed_on timestamptz,
  closed boolean, date_closed timestamptz, indices jsonb, properties jsonb)`;

export const FORMS_DDL = `(
  form_id text NOT NULL, xmlns text, form_name text, app_id text, received_on timestamptz, server_modified_on timestamptz,
  indexed_on timestamptz, user_id text, case_ids text[], form jsonb)`;

/** Appends one case as a line of COPY's text format to `out`. */
export function appendCaseRow(out: string[], record: CaseV2): void {
  field(out, record.case_id);
  field(out, record.case_type);
  field(out, record.case_name);
  field(out, record.external_id);
  field(out, record.owner_id);
  field(out, record.date_opened);
  field(out, record.last_modified);
  field(out, record.server_last_modified);
  field(out, record.indexed_on);
  field(out, record.closed ? 't' : 'f');
  field(out, record.date_closed);
  json(out, record.indices ?? {});
  json(out, record.properties ?? {}, true);
}

/** Appends one form as a line of COPY's text format to `out`. */
export function appendFormRow(out: string[], record: FormV05): void {
  const body = record.form ?? {};
  const meta = (body.meta ?? {}) as Record<string, unknown>;
  const userId = (record.metadata?.userID as string | undefined) ?? (meta.userID as string | undefined) ?? null;
  field(out, record.id);
  field(out, str(body['@xmlns']));
  field(out, str(body['@name']));
  field(out, record.app_id);
  field(out, record.received_on);
  field(out, record.server_modified_on);
  field(out, record.indexed_on);
  field(out, userId);
  field(out, pgTextArray(caseIdsOf(body)));
  json(out, body, true);
}

/** Every case a form touches: `@case_id` of each case block, at any depth (groups, repeats). */
export function caseIdsOf(node: unknown, found: Set<string> = new Set()): string[] {
  if (Array.isArray(node)) {
    for (const item of node) caseIdsOf(item, found);
  } else if (node && typeof node === 'object') {
    for (const key in node) {
      const value = (node as Record<string, unknown>)[key];
      if (value === null || typeof value !== 'object') continue;
      if (key === 'case' && !Array.isArray(value)) {
        const id = (value as Record<string, unknown>)['@case_id'];
        if (typeof id === 'string' && id) found.add(id);
      }
      caseIdsOf(value, found);
    }
  }
  return [...found];
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** A text[] value in COPY's text format. */
export function pgTextArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

/*
 * COPY text format: tab-separated, \N for NULL, backslash escapes. Scalars go
 * through a cheap test before any replace; JSON from JSON.stringify never
 * holds a raw tab or newline, so only its (rare) backslashes need doubling.
 * Pieces are pushed to one array per page and joined once, which keeps the
 * garbage collector's work (the bottleneck of a naive encoder) small.
 */
const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** One row of plain values (null for NULL) as a line of COPY's text format. */
export function copyLine(values: ReadonlyArray<string | null>): string {
  const out: string[] = [];
  values.forEach((value, i) => field(out, value, i === values.length - 1));
  return out.join('');
}

function field(out: string[], value: string | null | undefined, last = false): void {
  if (value === null || value === undefined) out.push('\\N');
  else out.push(NEEDS_ESCAPE.test(value) ? escapeText(value) : value);
  out.push(last ? '\n' : '\t');
}

function json(out: string[], value: unknown, last = false): void {
  const text = JSON.stringify(value);
  out.push(text.includes('\\') ? text.replace(/\\/g, '\\\\') : text);
  out.push(last ? '\n' : '\t');
}

function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
