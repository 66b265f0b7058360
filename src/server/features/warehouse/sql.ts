/** Quotes an SQL identifier (schema, table, role): doubles embedded quotes. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The read-only role of a tenant schema. */
export function readOnlyRole(schema: string): string {
  return `${schema}_ro`;
}
