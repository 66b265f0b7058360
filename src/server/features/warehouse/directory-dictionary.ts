import { LOOKUP_PREFIX } from './directory';
import { RELATIONSHIPS_TABLE } from './relationships';

/**
 * What the data dictionary says of the directory tables and
 * case_relationships: read by list_tables, describe_table, get_metadata and
 * the Data page, so the agent knows how to join them.
 */
const TABLES: Record<string, { description: string; columns: Record<string, string> }> = {
  users: {
    description: "The project's mobile workers and web users. Join cases.owner_id or forms.user_id to users.user_id to name who owns or submitted.",
    columns: {
      user_id: 'Unique ID of the user (what cases.owner_id and forms.user_id hold).',
      user_type: "'mobile' (a mobile worker, submits forms) or 'web' (a web user).",
      username: 'CommCare username (mobile workers: name@project.commcarehq.org).',
      first_name: 'First name.',
      last_name: 'Last name.',
      name: 'Full name (first and last, else the username).',
      email: 'Email address, if set.',
      primary_location_id: "The user's primary location; join to locations.location_id.",
      location_ids: 'Every location the user is assigned to.',
      group_ids: 'The groups the user belongs to.',
      active: 'Whether the user is active.',
      role: "Web users: their role in the project (e.g. 'Admin').",
      user_data: 'Custom user fields as JSON.',
    },
  },
  groups: {
    description: 'Groups of mobile workers. A case-sharing group can own cases (cases.owner_id = groups.group_id).',
    columns: {
      group_id: 'Unique ID of the group.',
      name: 'Name of the group.',
      case_sharing: 'Whether the group shares (and can own) cases.',
      reporting: 'Whether the group is used in reports.',
      member_count: 'How many users belong to the group.',
    },
  },
  group_members: {
    description: 'Which user belongs to which group: one row per membership.',
    columns: { group_id: 'The group (groups.group_id).', user_id: 'The member (users.user_id).' },
  },
  location_types: {
    description: 'The levels of the location hierarchy (e.g. state, district, facility, village), top level first.',
    columns: {
      code: 'Code of the location type (locations.location_type).',
      name: 'Name of the location type.',
      parent_code: 'The type of the level above.',
      level: 'Depth in the hierarchy: 0 for the top level.',
      column_prefix: 'Prefix of this level\'s columns in locations (<prefix>_id, <prefix>_name).',
    },
  },
  locations: {
    description:
      'The organisation hierarchy, one row per location, with a pair of columns per level (<type>_id, <type>_name) naming the location\'s ancestor of that type, so "cases by district" is one join: cases.owner_id (or a view\'s location_id) = locations.location_id, GROUP BY district_name.',
    columns: {
      location_id: 'Unique ID of the location (what cases.owner_id holds when a location owns a case).',
      name: 'Name of the location.',
      site_code: 'Site code of the location.',
      location_type: 'Its type (location_types.code).',
      level: 'Depth of its type in the hierarchy: 0 for the top level.',
      parent_location_id: 'The location it belongs to.',
      latitude: 'Latitude, if set.',
      longitude: 'Longitude, if set.',
      last_modified: 'When the location was last changed in CommCare.',
      location_data: 'Custom location fields as JSON.',
    },
  },
  [RELATIONSHIPS_TABLE]: {
    description:
      'How cases link to each other: one row per index of a case (a person to their household, a visit to its pregnancy). Join child cases on case_id and parents on parent_case_id.',
    columns: {
      case_id: 'The child (or extension) case.',
      relationship_name: "The index's name, usually 'parent' or 'host'.",
      parent_case_id: 'The case it points at (cases.case_id).',
      parent_case_type: 'Case type of that case.',
      relationship_type: "'child' or 'extension'.",
    },
  },
};

/** The dictionary's tables besides cases, forms and the views, present in the schema among `names`. */
export function directoryTablesIn(names: Iterable<string>): string[] {
  return [...names].filter((name) => name in TABLES || name.startsWith(LOOKUP_PREFIX)).sort();
}

export function directoryTableDescription(table: string): string {
  if (table.startsWith(LOOKUP_PREFIX)) return `A lookup table of the project's applications ("${table.slice(LOOKUP_PREFIX.length)}"), one row per item.`;
  return TABLES[table]?.description ?? '';
}

export function directoryColumnDescription(table: string, column: string): string {
  const known = TABLES[table]?.columns[column];
  if (known) return known;
  if (table === 'locations') {
    const level = /^(.+)_(id|name)$/.exec(column);
    if (level) return `${level[2] === 'id' ? 'ID' : 'Name'} of the location's ${level[1]} (itself if it is one).`;
  }
  if (table.startsWith(LOOKUP_PREFIX)) return `Field "${column}" of the lookup table.`;
  return '';
}
