import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import type { ToolErrorCode, ToolFailure } from '../../../shared/tools';
import type { Logger } from '../../platform/logger';

/** The MCP specification's code for a resource that does not exist (the SDK has no constant for it). */
export const RESOURCE_NOT_FOUND = -32002;

/**
 * A JSON-RPC error as the SDK sends it: it copies `code`, `message` and
 * `data` of whatever a handler throws. Not `McpError`, whose message gains an
 * "MCP error -32602:" prefix that the client's McpError then repeats.
 * `data.code` carries Scout's code, as routes.ts's errors do.
 */
export class RpcError extends Error {
  readonly data: { code: ToolErrorCode };

  constructor(
    readonly code: number,
    message: string,
    scoutCode: ToolErrorCode,
  ) {
    super(message);
    this.data = { code: scoutCode };
  }
}

/**
 * A tool's error envelope as the JSON-RPC error of a resource or prompt
 * request that used the tool. JSON-RPC has codes for bad parameters and
 * little else: a refusal (FORBIDDEN, RATE_LIMITED) is told apart by data.code.
 */
export function rpcErrorOf(error: ToolFailure['error']): RpcError {
  return new RpcError(error.code === 'VALIDATION_ERROR' ? ErrorCode.InvalidParams : ErrorCode.InternalError, error.message, error.code);
}

/**
 * Runs a request handler so that only Scout's own errors reach the client:
 * anything else (a database error's message names tables and SQL) is logged
 * and answered with a plain internal error.
 */
export async function guarded<T>(logger: Logger, method: string, handler: () => Promise<T>): Promise<T> {
  try {
    return await handler();
  } catch (error) {
    if (error instanceof RpcError) throw error;
    logger.error({ err: { type: (error as Error)?.name, message: (error as Error)?.message, stack: (error as Error)?.stack }, method }, 'MCP request failed');
    throw new RpcError(ErrorCode.InternalError, 'Scout could not answer this request because of an internal error; try again.', 'INTERNAL_ERROR');
  }
}
