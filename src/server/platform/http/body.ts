import type { Context } from 'hono';
import type { z } from 'zod';
import { ERROR_CODES } from '../../../shared/errors';
import { AppError, validationError } from './errors';

/** Reads a JSON body and validates it; every failure is a 400 with field messages. */
export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  return validateBody(await c.req.text(), schema);
}

/** Like parseBody, but an empty body counts as `{}` (e.g. a bare "start" POST). */
export async function parseOptionalBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const text = await c.req.text();
  return validateBody(text.trim() === '' ? '{}' : text, schema);
}

function validateBody<S extends z.ZodType>(text: string, schema: S): z.infer<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AppError(400, ERROR_CODES.validation, 'The request body must be a JSON object');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new AppError(400, ERROR_CODES.validation, 'The request body must be a JSON object');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}
