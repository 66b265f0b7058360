/** The read-only role of a tenant schema. */
export function readOnlyRole(schema: string): string {
  return `${schema}_ro`;
}
