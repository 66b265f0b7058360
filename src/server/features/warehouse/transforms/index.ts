import type pg from 'pg';
import type { Application } from '../../commcare/types';
import { runTransforms } from './build';
import { readKnownCaseProperties } from './dictionary';

/**
 * The warehouse's typed layer over the raw `cases` and `forms` tables of a
 * tenant schema: one view per case type (`case_<type>`), one per form
 * (`form_<name>`), and the data dictionary (`_scout_columns`,
 * `_scout_tables`, `_scout_case_types`).
 */

export interface TransformInput {
  schema: string; // the tenant schema (already exists)
  applications: Application[]; // from CommCare's application API
}

export interface TransformResult {
  views: string[];
  dictionaryRows: number;
}

/**
 * Runs inside the caller's transaction on `client`. Tables "<schema>".cases and "<schema>".forms exist with their final data.
 * Drops every view this module made before (all views in the schema) and the dictionary, and builds them again.
 */
export function buildTransforms(client: pg.ClientBase, input: TransformInput): Promise<TransformResult> {
  return runTransforms(client, input);
}

/** The set of case property names currently described in the dictionary, so an incremental run can tell whether new properties appeared and views must be rebuilt. */
export function knownCaseProperties(client: pg.ClientBase, schema: string): Promise<Map<string, Set<string>>> {
  return readKnownCaseProperties(client, schema);
}
