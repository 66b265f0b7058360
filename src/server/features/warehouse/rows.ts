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

export function caseRow(record: CaseV2): string {
  return csvLine([
    record.case_id,
    record.case_type,
    record.case_name,
    record.external_id,
    record.owner_id,
    timestamp(record.date_opened),
    timestamp(record.last_modified),
    timestamp(record.server_last_modified),
    timestamp(record.indexed_on),
    record.closed ? 't' : 'f',
    timestamp(record.date_closed),
    JSON.stringify(record.indices ?? {}),
    JSON.stringify(record.properties ?? {}),
  ]);
}

export function formRow(record: FormV05): string {
  const body = record.form ?? {};
  const meta = (body.meta ?? {}) as Record<string, unknown>;
  const userId = (record.metadata?.userID as string | undefined) ?? (meta.userID as string | undefined) ?? null;
  return csvLine([
    record.id,
    str(body['@xmlns']),
    str(body['@name']),
    record.app_id,
    timestamp(record.received_on),
    timestamp(record.server_modified_on),
    timestamp(record.indexed_on),
    userId,
    pgTextArray(caseIdsOf(body)),
    JSON.stringify(body),
  ]);
}

/** Every case a form touches: `@case_id` of each case block, at any depth (groups, repeats). */
export function caseIdsOf(node: unknown, found: Set<string> = new Set()): string[] {
  if (Array.isArray(node)) {
    for (const item of node) caseIdsOf(item, found);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'case' && value && typeof value === 'object' && !Array.isArray(value)) {
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

/** HQ's naive timestamps are UTC; the loader's sessions run in UTC, so they need no suffix. */
function timestamp(value: string | null | undefined): string | null {
  return value ? value : null;
}

function pgTextArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

/** CSV with every value quoted; an unquoted empty field is NULL. */
function csvLine(values: Array<string | null | undefined>): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) line += ',';
    if (value !== null && value !== undefined) line += `"${value.includes('"') ? value.replace(/"/g, '""') : value}"`;
  }
  return `${line}\n`;
}
