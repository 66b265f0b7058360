/** Messages per field, keyed by the field's path ("email", "items.0.name"): the shape of `ApiErrorBody.fields`. */
export type FieldErrors = Record<string, string[]>;

/** The part of a zod issue this module reads, so callers can pass `result.error.issues` directly. */
interface ValidationIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * Groups client-side validation issues the way the server groups them, so a
 * form shows its own findings and the server's through the same code.
 */
export function fieldErrorsFromIssues(issues: readonly ValidationIssue[]): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.');
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}
