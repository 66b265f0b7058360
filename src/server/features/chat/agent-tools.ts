import { jsonSchema, tool, type JSONSchema7, type ToolSet } from 'ai';
import { z } from 'zod';
import type { ToolEnvelope } from '../../../shared/tools';
import type { TenantContext } from '../tools/context';
import type { ToolService } from '../tools/service';

/** The most result rows one query result shows the model; the user's table shows them all. */
export const MODEL_ROWS_PER_RESULT = 100;

/**
 * The data tools as AI SDK tools for one tenant context. The context comes from
 * the session, never from the model. Input is validated by ToolService (not by
 * the AI SDK), so a bad call comes back to the model as the same envelope MCP
 * clients get, and is audited like any other call.
 */
export function agentTools(tools: ToolService, ctx: TenantContext): ToolSet {
  return Object.fromEntries(
    tools.tools.map((definition) => [
      definition.name,
      tool({
        description: definition.description,
        inputSchema: jsonSchema<Record<string, unknown>>(z.toJSONSchema(definition.input, { target: 'draft-7' }) as JSONSchema7),
        execute: (args) => tools.call(ctx, definition.name, args),
        toModelOutput: ({ output }) => ({ type: 'json', value: forModel(output as ToolEnvelope) as never }),
      }),
    ]),
  );
}

/**
 * Large results cost tokens and rarely help the model: it sees the first rows
 * and is told the rest exist. A chart's spec repeats its rows for the
 * renderer: the model sees the rows and the chart chosen, not the spec.
 */
export function forModel(envelope: ToolEnvelope): ToolEnvelope {
  if (!envelope.success) return envelope;
  if (envelope.data && typeof envelope.data === 'object' && 'spec' in envelope.data) {
    const { spec: _spec, ...chart } = envelope.data as { spec: unknown };
    return forModel({ ...envelope, data: chart });
  }
  const data = envelope.data as { rows?: unknown[]; row_count?: number } | null;
  if (!data || !Array.isArray(data.rows) || data.rows.length <= MODEL_ROWS_PER_RESULT) return envelope;
  const warning = `The model sees only the first ${MODEL_ROWS_PER_RESULT} of ${data.rows.length} rows here (the user sees them all); aggregate in SQL to reason about the rest.`;
  return { ...envelope, data: { ...data, rows: data.rows.slice(0, MODEL_ROWS_PER_RESULT) }, warnings: [...(envelope.warnings ?? []), warning] };
}
