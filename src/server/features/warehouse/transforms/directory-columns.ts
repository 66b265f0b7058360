import { qualified } from '../../../platform/db/sql';
import { ROW_ALIAS, type ViewColumn } from './plan';

/**
 * Readable "who and where" columns of the typed views, through the directory
 * tables (warehouse/directory.ts). Scalar subqueries on primary keys: a
 * query that doesn't name these columns doesn't pay for them (PostgreSQL
 * drops a flattened view's unused outputs), and under row security they
 * only find what the reader may see.
 */
export function caseDirectoryColumns(schema: string): ViewColumn[] {
  const at = (table: string) => qualified(schema, table);
  const owner = `${ROW_ALIAS}.owner_id`;
  const location = `(SELECT l.location_id FROM ${at('locations')} l WHERE l.location_id = ${owner})`;
  const user = (column: string) => `(SELECT u.${column} FROM ${at('users')} u WHERE u.user_id = ${owner})`;
  const group = `(SELECT g.name FROM ${at('groups')} g WHERE g.group_id = ${owner})`;
  const ownerLocation = `COALESCE(${location}, ${user('primary_location_id')})`;
  return [
    {
      name: 'owner_type',
      expr: `CASE WHEN ${location} IS NOT NULL THEN 'location' WHEN ${user('user_id')} IS NOT NULL THEN 'user' WHEN ${group} IS NOT NULL THEN 'group' END`,
      description: "What owns the case: 'location', 'user' (a mobile worker) or 'group' (a case-sharing group).",
      source: 'directory',
    },
    {
      name: 'owner_name',
      expr: `COALESCE((SELECT l.name FROM ${at('locations')} l WHERE l.location_id = ${owner}), ${user('name')}, ${group})`,
      description: 'Name of the location, mobile worker or group that owns the case.',
      source: 'directory',
    },
    {
      name: 'location_id',
      expr: ownerLocation,
      description: "The case's location: its owner if a location owns it, else its owner's primary location. Join to locations.location_id for the levels above (e.g. district_name).",
      source: 'directory',
    },
    {
      name: 'location_name',
      expr: `(SELECT l.name FROM ${at('locations')} l WHERE l.location_id = ${ownerLocation})`,
      description: "Name of the case's location (see location_id).",
      source: 'directory',
    },
  ];
}

export function formDirectoryColumns(schema: string): ViewColumn[] {
  const submitter = `${ROW_ALIAS}.user_id`;
  const user = (column: string) => `(SELECT u.${column} FROM ${qualified(schema, 'users')} u WHERE u.user_id = ${submitter})`;
  return [
    { name: 'submitted_by', expr: user('name'), description: 'Name of the mobile worker who submitted the form (users.name).', source: 'directory' },
    { name: 'submitted_by_username', expr: user('username'), description: 'Username of the mobile worker who submitted the form.', source: 'directory' },
    {
      name: 'location_id',
      expr: user('primary_location_id'),
      description: "The submitting worker's primary location; join to locations.location_id for the levels above.",
      source: 'directory',
    },
  ];
}
