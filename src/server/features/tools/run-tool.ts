import type { ToolEnvelope, ToolErrorCode, ToolFailure } from '../../../shared/tools';
import { AppError } from '../../platform/http/errors';
import { checkJson, storableJson } from '../../platform/http/json-input';
import type { Logger } from '../../platform/logger';
import type { AuditWriter } from './audit';
import type { TenantContext } from './context';
import type { ToolDefinition, ToolDeps } from './definitions';
import { ToolError } from './errors';

const RECOVERABLE_CODES = new Set(['VALIDATION_ERROR', 'NOT_FOUND', 'QUERY_TIMEOUT', 'QUERY_CANCELLED', 'QUERY_REJECTED', 'SCHEMA_NOT_READY', 'RATE_LIMITED']);

/**
 * The one wrapper every tool call goes through, whoever calls it (chat agent,
 * MCP, REST): validates arguments, times the call, turns any failure into the
 * error envelope and writes the audit record. Tool bodies hold only their logic.
 */
export async function runTool(
  ctx: TenantContext,
  tool: ToolDefinition,
  rawArgs: unknown,
  deps: ToolDeps & { audit: AuditWriter; logger: Logger },
): Promise<ToolEnvelope> {
  const started = performance.now();
  let envelope: ToolEnvelope;
  let rows: number | undefined;
  // Depth and the text rule first: validators and JSON.stringify recurse, and PostgreSQL can't hold a NUL.
  const unfit = checkJson(rawArgs ?? {}, { text: true });
  try {
    if (unfit) {
      const reasons = Object.entries(unfit).map(([path, messages]) => `${path === '_' ? 'arguments' : path}: ${messages.join(', ')}`).join('; ');
      throw new ToolError('VALIDATION_ERROR', `Invalid arguments for ${tool.name}: ${reasons}`);
    }
    const parsed = tool.input.safeParse(rawArgs ?? {});
    if (!parsed.success) {
      const reasons = parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ');
      throw new ToolError('VALIDATION_ERROR', `Invalid arguments for ${tool.name}: ${reasons}`);
    }
    const outcome = await tool.run(ctx, parsed.data, deps);
    rows = outcome.rows;
    envelope = {
      success: true,
      data: outcome.data,
      tenant_id: ctx.membership.domain,
      schema: ctx.schemaName,
      timing_ms: Math.round(performance.now() - started),
      ...(outcome.warnings ? { warnings: outcome.warnings } : {}),
    };
  } catch (error) {
    envelope = { success: false, error: toToolError(error, deps.logger, tool.name) };
  }
  const timing = Math.round(performance.now() - started);
  deps.audit.record({
    user_id: ctx.userId,
    tenant_id: ctx.membership.tenant_id,
    membership_id: ctx.membership.membership_id,
    channel: ctx.channel,
    tool: tool.name,
    arguments: JSON.stringify(auditedArguments(rawArgs ?? {}, unfit)),
    status: envelope.success ? 'success' : 'error',
    error_code: envelope.success ? null : envelope.error.code,
    rows: rows ?? null,
    timing_ms: timing,
  });
  return envelope;
}

/** What the audit log keeps of the arguments: a storable copy, or a note when they could not even be walked. */
function auditedArguments(args: unknown, unfit: Record<string, string[]> | undefined): unknown {
  if (unfit?._) return { _refused: unfit._.join('; ') };
  return storableJson(args);
}

function toToolError(error: unknown, logger: Logger, tool: string): ToolFailure['error'] {
  if (error instanceof ToolError) return { code: error.code, message: error.message, ...(error.detail ? { detail: error.detail } : {}) };
  const coded = error as { code?: unknown; message?: string; detail?: string };
  if (typeof coded.code === 'string' && RECOVERABLE_CODES.has(coded.code)) {
    return { code: coded.code as ToolErrorCode, message: coded.message ?? 'The call failed', ...(coded.detail ? { detail: coded.detail } : {}) };
  }
  if (error instanceof AppError && error.status === 404) return { code: 'NOT_FOUND', message: error.message };
  if (error instanceof AppError && error.status < 500) return { code: 'VALIDATION_ERROR', message: error.message };
  logger.error({ err: { type: (error as Error)?.name, message: (error as Error)?.message, stack: (error as Error)?.stack }, tool }, 'tool failed');
  return { code: 'INTERNAL_ERROR', message: 'The tool failed because of an internal error; try again, or try a different approach.' };
}
