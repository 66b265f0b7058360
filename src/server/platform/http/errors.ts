import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { ERROR_CODES, type ApiErrorBody } from '../../../shared/errors';
import type { AppEnv } from './env';

/** An error with a code that maps to one HTTP answer; anything else is a 500. */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string[]>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toBody(): ApiErrorBody {
    return { error: this.message, code: this.code, ...(this.fields ? { fields: this.fields } : {}) };
  }
}

export const unauthenticated = () => new AppError(401, ERROR_CODES.unauthenticated, 'Sign in to continue');
export const notFound = (what = 'This resource') => new AppError(404, ERROR_CODES.notFound, `${what} was not found`);

export function validationError(error: z.ZodError, message = 'Some fields need attention'): AppError {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.join('.') : '_';
    (fields[key] ??= []).push(issue.message);
  }
  return new AppError(400, ERROR_CODES.validation, message, fields);
}

export function errorResponse(c: Context<AppEnv>, error: unknown): Response {
  if (error instanceof AppError) {
    for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value);
    return c.json(error.toBody(), error.status);
  }
  const requestId = c.get('requestId');
  c.get('logger').error({ err: describeError(error) }, 'unhandled error');
  const body: ApiErrorBody = {
    error: 'Something went wrong on our side. Try again; if it keeps happening, contact support with this request id.',
    code: ERROR_CODES.internal,
    requestId,
  };
  return c.json(body, 500);
}

/** What a log line may carry about an unexpected error: type, message and stack, never request data. */
function describeError(error: unknown) {
  if (error instanceof Error) return { type: error.name, message: error.message, stack: error.stack };
  return { type: typeof error };
}
