import { ErrorCode, type ListResourcesResult, type ReadResourceResult, type Resource, type ResourceTemplate } from '@modelcontextprotocol/sdk/types.js';
import type { ToolFailure } from '../../../shared/tools';
import { AppError } from '../../platform/http/errors';
import type { TenantContext } from '../tools/context';
import type { ToolService } from '../tools/service';
import { questionMarkdown, tableMarkdown, type DescribedTable } from './resource-markdown';
import { RESOURCE_NOT_FOUND, RpcError, rpcErrorOf } from './rpc-error';

/**
 * The domain's data dictionary and saved questions as MCP resources, so a
 * client can attach them to a conversation without a tool call:
 * `scout://<domain>/tables/<table>` and `scout://<domain>/questions/<id>`.
 * Everything is read through the same tools and services as the tool calls
 * (the member's role and CommCare scope apply; table reads are audited as
 * list_tables / describe_table calls of the MCP channel).
 */

const MIME_TYPE = 'text/markdown';

/** Saved questions resources/list shows, the most recently updated first; the rest are read by id (list_questions searches them all). */
export const QUESTIONS_LISTED = 100;

/** Longer than any URI Scout hands out (a domain, a 63-character table name): no point parsing more. */
const URI_MAX = 512;

const tableUri = (domain: string, table: string) => `scout://${encodeURIComponent(domain)}/tables/${encodeURIComponent(table)}`;
const questionUri = (domain: string, id: string) => `scout://${encodeURIComponent(domain)}/questions/${encodeURIComponent(id)}`;

export function resourceTemplates(ctx: TenantContext): ResourceTemplate[] {
  const domain = encodeURIComponent(ctx.membership.domain);
  return [
    {
      uriTemplate: `scout://${domain}/tables/{table}`,
      name: 'table',
      title: 'A table or view of the domain',
      description: 'The data dictionary of one table or view (a name from list_tables): its row count and each column with its type and description.',
      mimeType: MIME_TYPE,
    },
    {
      uriTemplate: `scout://${domain}/questions/{id}`,
      name: 'question',
      title: 'A saved question of the domain',
      description: `One saved question (an id from list_questions): its title, description, SQL and parameters. resources/list shows the ${QUESTIONS_LISTED} most recently updated.`,
      mimeType: MIME_TYPE,
    },
  ];
}

/** Every table and view once the domain has synced (none before: not an error), then its latest saved questions. */
export async function listResources(ctx: TenantContext, tools: ToolService): Promise<ListResourcesResult> {
  await ensureReader(ctx, tools);
  const domain = ctx.membership.domain;
  const listed = await tools.call(ctx, 'list_tables', {});
  if (!listed.success && listed.error.code !== 'SCHEMA_NOT_READY') throw rpcErrorOf(listed.error);
  const tables = listed.success ? (listed.data as Array<Pick<DescribedTable, 'name' | 'kind' | 'description'> & { row_count: number }>) : [];
  // One more than is shown, to know whether there are more.
  const questions = await tools.questions.list(ctx.membership, { limit: QUESTIONS_LISTED + 1 });
  const resources: Resource[] = [
    ...tables.map((table) => ({
      uri: tableUri(domain, table.name),
      name: table.name,
      title: `${table.kind === 'view' ? 'View' : 'Table'} ${table.name}`,
      description: `${table.description ? `${table.description} ` : ''}(${table.row_count} rows)`,
      mimeType: MIME_TYPE,
    })),
    ...questions.slice(0, QUESTIONS_LISTED).map((question) => ({
      uri: questionUri(domain, question.id),
      name: question.title,
      title: `Saved question: ${question.title}`,
      ...(question.description ? { description: question.description } : {}),
      mimeType: MIME_TYPE,
      annotations: { lastModified: question.updated_at },
    })),
  ];
  if (questions.length <= QUESTIONS_LISTED) return { resources };
  return {
    resources,
    _meta: { questions_truncated: true, note: `Only the ${QUESTIONS_LISTED} most recently updated saved questions are listed; list_questions searches them all, and any of them reads as scout://${domain}/questions/<id>.` },
  };
}

export async function readResource(ctx: TenantContext, tools: ToolService, uri: string): Promise<ReadResourceResult> {
  const { kind, name } = parseUri(ctx, uri);
  await ensureReader(ctx, tools);
  const text = kind === 'tables' ? await tableText(ctx, tools, name, uri) : await questionText(ctx, tools, name, uri);
  return { contents: [{ uri, mimeType: MIME_TYPE, text }] };
}

async function tableText(ctx: TenantContext, tools: ToolService, table: string, uri: string): Promise<string> {
  const described = await tools.call(ctx, 'describe_table', { table_name: table });
  if (described.success) return tableMarkdown(ctx.membership.domain, described.data as DescribedTable);
  throw isAbsent(described.error) ? notFound(uri, described.error.code === 'VALIDATION_ERROR' ? undefined : described.error.message) : rpcErrorOf(described.error);
}

async function questionText(ctx: TenantContext, tools: ToolService, id: string, uri: string): Promise<string> {
  try {
    return questionMarkdown(ctx.membership.domain, await tools.questions.get(ctx.membership, id));
  } catch (error) {
    // Another domain's question is as absent as a deleted one.
    if (error instanceof AppError && error.status === 404) throw notFound(uri);
    throw error;
  }
}

/** What the URI names, when it is one of this domain's: another domain's answers like a missing resource. */
function parseUri(ctx: TenantContext, uri: string): { kind: 'tables' | 'questions'; name: string } {
  const malformed = () => new RpcError(ErrorCode.InvalidParams, `Not a Scout resource URI: expected scout://${ctx.membership.domain}/tables/<table> or scout://${ctx.membership.domain}/questions/<id>.`, 'VALIDATION_ERROR');
  if (uri.length > URI_MAX) throw malformed();
  const match = /^scout:\/\/([^/?#]+)\/(tables|questions)\/([^/?#]+)$/.exec(uri);
  if (!match) throw malformed();
  let domain: string;
  let name: string;
  try {
    domain = decodeURIComponent(match[1]!);
    name = decodeURIComponent(match[3]!);
  } catch {
    throw malformed();
  }
  if (domain !== ctx.membership.domain) throw notFound(uri);
  return { kind: match[2] as 'tables' | 'questions', name };
}

/** Tool answers that mean there is no such resource (a table name too long to be one fails validation). */
function isAbsent(error: ToolFailure['error']): boolean {
  return error.code === 'NOT_FOUND' || error.code === 'SCHEMA_NOT_READY' || error.code === 'VALIDATION_ERROR';
}

function notFound(uri: string, why?: string): RpcError {
  return new RpcError(RESOURCE_NOT_FOUND, why ? `No resource ${uri}: ${why}` : `No resource ${uri} in this domain.`, 'NOT_FOUND');
}

/** The member may use the domain's data tools (role, and what CommCare lets them see), as list_questions requires. */
async function ensureReader(ctx: TenantContext, tools: ToolService): Promise<void> {
  const reader = await tools.reader(ctx);
  if ('error' in reader) throw new RpcError(ErrorCode.InternalError, reader.error, 'FORBIDDEN');
}
