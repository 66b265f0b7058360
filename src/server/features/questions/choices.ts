import type { QueryResult } from '../../../shared/tools';
import { AppError, notFound } from '../../platform/http/errors';
import { ident } from '../../platform/db/sql';
import type { TenantContext } from '../tools/context';
import { toolFailureStatus } from '../tools/routes';
import type { ToolService } from '../tools/service';
import type { QuestionRow } from './repo';

const MAX_CHOICES = 200;

/**
 * What a choice parameter offers: its fixed values, or the distinct values of
 * its column, read through the query tool (the member's scope and audit apply).
 */
export async function choiceValues(tools: ToolService, ctx: TenantContext, question: QuestionRow, name: string): Promise<string[]> {
  const parameter = question.parameters.find((p) => p.name === name);
  if (!parameter || parameter.type !== 'choice') throw notFound('This choice parameter');
  if (parameter.options?.values?.length) return parameter.options.values;
  const { table, column } = parameter.options ?? {};
  if (!table || !column) return [];
  const sql = `SELECT DISTINCT ${ident(column)}::text AS value FROM ${ident(table)} WHERE ${ident(column)} IS NOT NULL ORDER BY 1 LIMIT ${MAX_CHOICES}`;
  const envelope = await tools.call(ctx, 'query', { sql });
  if (!envelope.success) throw new AppError(toolFailureStatus(envelope.error.code), envelope.error.code, envelope.error.message);
  return (envelope.data as QueryResult).rows.map((row) => String(row[0]));
}
