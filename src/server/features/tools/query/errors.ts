import { closest } from '../../../platform/did-you-mean';

/**
 * The engine's errors. Their messages go to a model (and the person behind
 * it), so they say what to change, and never name the query role, the
 * search_path or the engine's own statements.
 */

/** Refused by policy: not a SELECT, a forbidden function, relation or construct. */
export class QueryRejected extends Error {
  readonly code = 'QUERY_REJECTED';
  override name = 'QueryRejected';
}

/** Ran past its time limit (statement_timeout) and was cancelled by PostgreSQL. */
export class QueryTimeout extends Error {
  readonly code = 'QUERY_TIMEOUT';
  override name = 'QueryTimeout';
}

/** The user cancelled the query while it ran. */
export class QueryCancelled extends Error {
  readonly code = 'QUERY_CANCELLED';
  override name = 'QueryCancelled';
}

/** Too many queries of this user or domain are running already; nothing ran. */
export class QueryBusy extends Error {
  readonly code = 'RATE_LIMITED';
  override name = 'QueryBusy';
}

/** PostgreSQL refused the SQL itself: syntax, unknown column or table, a type mismatch... */
export class QueryFailed extends Error {
  readonly code = 'VALIDATION_ERROR';
  override name = 'QueryFailed';
  constructor(
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

/** What PostgreSQL's error carries (pg's DatabaseError), the fields used here. */
export interface PgErrorLike {
  message: string;
  code?: string;
  detail?: string;
  hint?: string;
  position?: string;
}

export function isPgError(error: unknown): error is PgErrorLike & Error {
  return error instanceof Error && typeof (error as PgErrorLike).code === 'string' && /^[0-9A-Z]{5}$/.test((error as PgErrorLike).code ?? '');
}

/** A relation of the tenant's schema with its columns, for "did you mean". */
export interface RelationColumns {
  relation: string;
  columns: string[];
}

export interface ErrorContext {
  /** Words that must not reach the caller (the role name). */
  secrets: string[];
  /** Characters the engine put before the user's SQL, to report positions in the user's text. */
  offset: number;
  timeoutMs: number;
  /** Relations the query names (from the parser), to suggest their columns. */
  relations: string[];
  /** Looks up the schema's relations and columns; only called for unknown column/table errors. */
  catalog: () => Promise<RelationColumns[]>;
}

/** Turns an error PostgreSQL raised while running the user's query into one of the engine's errors. */
export async function fromPgError(error: PgErrorLike, context: ErrorContext): Promise<Error> {
  const clean = (text: string | undefined) => (text === undefined ? undefined : scrub(text, context.secrets));
  const code = error.code ?? '';
  const message = clean(error.message) ?? 'query failed';
  // 57014 is every cancellation; only a statement timeout names itself.
  if (code === '57014' && /user request/.test(message)) return new QueryCancelled('the query was cancelled, as asked; nothing was changed');
  if (code === '57014') {
    return new QueryTimeout(
      `the query ran longer than its time limit (${context.timeoutMs} ms) and was cancelled; filter with WHERE, aggregate, or add LIMIT`,
    );
  }
  if (code === '25006') return new QueryRejected(`queries are read-only: ${message}`);
  if (code === '42501') return new QueryRejected(`${message} (queries may only read this warehouse's tables)`);
  if (code === '0A000' && /data-modifying/.test(message)) {
    return new QueryRejected('data-modifying statements in WITH are not allowed');
  }
  if (code === '53400' && /temp_file_limit/.test(message)) {
    return new QueryFailed('the query needs too much temporary disk space; filter or aggregate earlier, or add LIMIT');
  }
  if (code === '53200') {
    return new QueryFailed('the query needs more memory than one query may use; aggregate or filter earlier, build smaller values, or add LIMIT');
  }
  if (code === '42703') return withSuggestion(message, error.hint, context, 'column');
  if (code === '42P01') return withSuggestion(message, error.hint, context, 'relation');
  const position = Number(error.position);
  const where = Number.isFinite(position) && position > context.offset ? `at character ${position - context.offset}` : undefined;
  const detail = [clean(error.detail), clean(error.hint), where].filter(Boolean).join('; ');
  return new QueryFailed(message, detail || undefined);
}

async function withSuggestion(
  message: string,
  hint: string | undefined,
  context: ErrorContext,
  kind: 'column' | 'relation',
): Promise<QueryFailed> {
  // PostgreSQL's own hint: 'Perhaps you meant to reference the column "cases.name".'
  const hinted = hint?.match(/^Perhaps you meant to reference the column "([^"]+)"/)?.[1]?.split('.').at(-1);
  if (hinted) return new QueryFailed(`${message}; did you mean "${hinted}"?`);
  const missing = kind === 'column' ? message.match(/^column "?([^"\s]+)"? does not exist/)?.[1]?.split('.').at(-1) : message.match(/relation "([^"]+)" does not exist/)?.[1];
  if (!missing) return new QueryFailed(message);
  let catalog: RelationColumns[];
  try {
    catalog = await context.catalog();
  } catch {
    return new QueryFailed(message);
  }
  if (kind === 'relation') {
    const tables = catalog.map((entry) => entry.relation);
    const best = closest(missing, tables);
    if (best) return new QueryFailed(`${message}; did you mean "${best}"?`);
    return new QueryFailed(message, tables.length ? `tables: ${list(tables)}` : 'this warehouse has no tables yet');
  }
  const named = catalog.filter((entry) => context.relations.includes(entry.relation));
  const best = closest(missing, named.flatMap((entry) => entry.columns));
  if (best) return new QueryFailed(`${message}; did you mean "${best}"?`);
  const detail = named.map((entry) => `${entry.relation} has columns ${list(entry.columns)}`).join('; ');
  return new QueryFailed(message, detail || undefined);
}

function list(names: string[]): string {
  return names.length > 40 ? `${names.slice(0, 40).join(', ')}, ...` : names.join(', ');
}

function scrub(text: string, secrets: string[]): string {
  let result = text;
  for (const secret of secrets) if (secret) result = result.split(secret).join('the query role');
  return result.replace(/DECLARE CURSOR/g, 'the query').replace(/\bcursor "scout_query"/g, 'the query');
}
