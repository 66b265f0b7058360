/**
 * SQL text helpers. Every name that reaches SQL text goes through `ident`
 * (schema, table and column names, even the ones we sanitized ourselves), and
 * every value that cannot be a bind parameter (view definitions are DDL, which
 * takes no parameters) goes through `literal`.
 */

/** A quoted identifier: "a""b". */
export function ident(name: string): string {
  if (name.includes('\0')) throw new Error('An SQL identifier cannot contain a NUL character.');
  return `"${name.replace(/"/g, '""')}"`;
}

/** "schema"."name". */
export function qualified(schema: string, name: string): string {
  return `${ident(schema)}.${ident(name)}`;
}

/**
 * A string literal that means the same whatever `standard_conforming_strings`
 * says: values with a backslash use the E'' form with backslashes doubled
 * (as libpq's PQescapeLiteral does).
 */
export function literal(value: string): string {
  if (value.includes('\0')) throw new Error('An SQL string literal cannot contain a NUL character.');
  const quoted = value.replace(/'/g, "''");
  return value.includes('\\') ? ` E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

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
