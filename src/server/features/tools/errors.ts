import type { ToolErrorCode } from '../../../shared/tools';

/** A tool failure with a code and a message written for a model to recover from. */
export class ToolError extends Error {
  constructor(
    readonly code: ToolErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

export const schemaNotReady = () =>
  new ToolError('SCHEMA_NOT_READY', "This domain has no data yet (or it expired). Call run_materialization to load it, then get_materialization_status until it completes.");
