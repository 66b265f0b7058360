import type { MiddlewareHandler } from 'hono';
import { ERROR_CODES } from '../../../shared/errors';
import { textProblem } from '../../../shared/text';
import type { AppEnv } from './env';
import { AppError } from './errors';

/** The text rule for query strings and path segments, so no route hands PostgreSQL a NUL from the URL. */
export function urlTextGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const fields: Record<string, string[]> = {};
    const url = new URL(c.req.url);
    for (const [name, value] of url.searchParams) {
      const problem = textProblem(name) ?? textProblem(value);
      if (problem) (fields[name] ??= []).push(problem);
    }
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      throw new AppError(400, ERROR_CODES.validation, 'The address is not valid (bad percent-encoding)');
    }
    const pathProblem = textProblem(path);
    if (pathProblem) (fields._ ??= []).push(`The address ${pathProblem}`);
    if (Object.keys(fields).length > 0) throw new AppError(400, ERROR_CODES.validation, 'Some fields need attention', fields);
    await next();
  };
}
