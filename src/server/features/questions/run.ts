import type { ChartConfig } from '../../../shared/charts/types';
import { buildSpec, ChartConfigError } from '../../../shared/charts/spec';
import type { ParameterValue, QuestionParameter, QuestionRun } from '../../../shared/questions';
import { AppError } from '../../platform/http/errors';
import { ERROR_CODES } from '../../../shared/errors';
import type { TenantContext } from '../tools/context';
import { readRows, type ToolDeps, type ToolOutcome } from '../tools/definitions';
import { ToolError } from '../tools/errors';
import { checkQuery, QueryFailed, QueryRejected, type SlotRequest } from '../tools/query';
import { bindTemplate, TemplateError, type Template } from './template';
import { boundValues, ParameterError, resolveValues } from './values';

/** What a run needs of a saved question. */
export interface Runnable {
  id: string;
  sql: string;
  parameters: QuestionParameter[];
  chart: ChartConfig | null;
}

/**
 * The SQL with its placeholders bound, checked by the query engine's parser
 * as it will run: a 400 on `sql` when it would be refused.
 */
export async function compileQuestion(sql: string, parameters: readonly QuestionParameter[], schema: string): Promise<Template> {
  let template: Template;
  try {
    template = bindTemplate(sql, parameters);
  } catch (error) {
    if (error instanceof TemplateError) throw new AppError(400, ERROR_CODES.validation, error.message, { sql: [error.message] });
    throw error;
  }
  try {
    await checkQuery(template.sql, schema, template.slots.length);
  } catch (error) {
    if (error instanceof QueryRejected || error instanceof QueryFailed) {
      const message = `The query would be refused: ${error.message}`;
      throw new AppError(400, ERROR_CODES.validation, message, { sql: [message] });
    }
    throw error;
  }
  return template;
}

/** A question's values, or a VALIDATION_ERROR naming each parameter that is wrong. */
export function valuesFor(question: Runnable, given: Record<string, unknown> | undefined): Record<string, ParameterValue> {
  try {
    return resolveValues(question.parameters, given ?? {});
  } catch (error) {
    if (error instanceof ParameterError) throw new ToolError('VALIDATION_ERROR', `Parameters: ${error.message}`);
    throw error;
  }
}

/** Runs a saved question as the context's member: its parameters bound, its chart drawn. */
export async function runSaved(
  ctx: TenantContext,
  question: Runnable,
  given: Record<string, unknown> | undefined,
  deps: Pick<ToolDeps, 'warehouse' | 'warehousePool' | 'capacity'>,
  options: { slots?: SlotRequest } = {},
): Promise<ToolOutcome<QuestionRun>> {
  const values = valuesFor(question, given);
  let template: Template;
  try {
    template = bindTemplate(question.sql, question.parameters);
  } catch (error) {
    if (error instanceof TemplateError) throw new ToolError('VALIDATION_ERROR', error.message);
    throw error;
  }
  const result = await readRows(ctx, template.sql, deps, undefined, { values: boundValues(template.slots, values), ...options });
  const warnings: string[] = [];
  if (result.truncated) warnings.push(`Only the first ${result.row_count} rows are shown; the question's SQL should aggregate or LIMIT.`);
  let spec: QuestionRun['spec'] = null;
  let chart = question.chart;
  if (chart) {
    try {
      ({ config: chart, spec } = buildSpec(chart, { columns: result.columns, rows: result.rows, truncated: result.truncated }));
    } catch (error) {
      if (!(error instanceof ChartConfigError)) throw error;
      warnings.push(`The saved chart can't be drawn from this result (chart.${error.field}: ${error.message}); the table is shown instead.`);
    }
  }
  // The text the engine ran is the SQL with $n: what the question says is more useful to read.
  return {
    data: { ...result, sql_executed: question.sql, question_id: question.id, chart, spec, parameters: values },
    rows: result.row_count,
    ...(warnings.length ? { warnings } : {}),
  };
}
