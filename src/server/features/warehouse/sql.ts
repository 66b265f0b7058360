/** The read-only role of a tenant schema. */
export function readOnlyRole(schema: string): string {
  return `${schema}_ro`;
}

/**
 * The restricted reader of a tenant schema: what a member whom CommCare
 * shows only some of the domain reads as. Row-level security policies
 * (row-security.ts) give it only the rows of its session's scope.
 */
export function restrictedRole(schema: string): string {
  return `${schema}_rs`;
}

/** Both reader roles of a tenant schema. */
export function readerRoles(schema: string): string[] {
  return [readOnlyRole(schema), restrictedRole(schema)];
}
