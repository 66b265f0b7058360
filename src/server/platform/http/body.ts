import type { Context } from 'hono';
import type { z } from 'zod';
import { ERROR_CODES } from '../../../shared/errors';
import { AppError, validationError } from './errors';
import { checkJson } from './json-input';

export interface BodyOptions {
  /**
   * `strict` (the default): every string follows the text rule (no NUL, no
   * unpaired surrogates). `lenient`: only the nesting limit, for bodies handed
   * to a layer that checks and records them itself (tool calls are audited
   * even when refused).
   */
  text?: 'strict' | 'lenient';
}

/** Reads a JSON body and validates it; every failure is a 400 with field messages. */
export async function parseBody<S extends z.ZodType>(c: Context, schema: S, options: BodyOptions = {}): Promise<z.infer<S>> {
  return validateBody(await c.req.text(), schema, options);
}

/** Like parseBody, but an empty body counts as `{}` (e.g. a bare "start" POST). */
export async function parseOptionalBody<S extends z.ZodType>(c: Context, schema: S, options: BodyOptions = {}): Promise<z.infer<S>> {
  const text = await c.req.text();
  return validateBody(text.trim() === '' ? '{}' : text, schema, options);
}

/** Parses JSON text from outside: a 400 for malformed or too deeply nested JSON, and (strict) for text Scout can't store. */
export function parseJsonInput(text: string, options: BodyOptions = {}): unknown {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AppError(400, ERROR_CODES.validation, 'The request body must be a JSON object');
  }
  const fields = checkJson(raw, { text: (options.text ?? 'strict') === 'strict' });
  if (fields) throw new AppError(400, ERROR_CODES.validation, fields._?.[0] ?? 'Some fields need attention', fields);
  return raw;
}

function validateBody<S extends z.ZodType>(text: string, schema: S, options: BodyOptions): z.infer<S> {
  const raw = parseJsonInput(text, options);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new AppError(400, ERROR_CODES.validation, 'The request body must be a JSON object');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}
