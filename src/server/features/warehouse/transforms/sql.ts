import { literal } from '../../../platform/db/sql';

/** `base->'a'->'b'->>'c'`: the text at a path inside a jsonb value (NULL when absent or not an object). */
export function jsonText(base: string, path: readonly string[]): string {
  if (path.length === 0) return `(${base} #>> '{}')`;
  const steps = path.map((key) => literal(key));
  const last = steps.pop()!;
  return `(${[base, ...steps].join('->')}->>${last})`;
}

/** `base->'a'->'b'`: the jsonb value at a path. */
export function jsonValue(base: string, path: readonly string[]): string {
  return `(${[base, ...path.map((key) => literal(key))].join('->')})`;
}
