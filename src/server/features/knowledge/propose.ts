import type { EntryKind } from '../../../shared/knowledge';
import { ident, literal } from '../../platform/db/sql';
import type { CatalogCaseType, CatalogField, CatalogForm, DomainCatalog } from './catalog';

/**
 * The semantic layer Scout proposes for a domain from its app and its data:
 * entities (case types, forms, users, locations), how they relate, measures
 * ("open cases", "visits", "active workers") and dimensions (dates, choice
 * properties with their values, location levels), each with a plain
 * description and SQL over the warehouse's tables and views. Pure: the
 * catalog in, entries out; the service stores them with source 'proposed'.
 */

export interface ProposedEntry {
  kind: Extract<EntryKind, 'entity' | 'relationship' | 'measure' | 'dimension'>;
  /** Stable across proposals, so that a new sync updates the same entry. */
  key: string;
  name: string;
  description: string;
  table: string | null;
  column: string | null;
  sql: string;
  details: Record<string, unknown>;
}

const DATE_TYPES = /^(date|timestamp)/;
const NUMBER_TYPES = /^(integer|bigint|smallint|numeric|double precision|real)/;

/** 'protected_well' → 'protected well': what a choice's value says until someone writes its meaning. */
export function choiceLabel(value: string): string {
  return value.replace(/_/g, ' ');
}

/** A measure's whole query over its table. */
export function measureSql(table: string, expression: string, filter?: string | null): string {
  return `SELECT ${expression} FROM ${table}${filter ? ` WHERE ${filter}` : ''}`;
}

/** Registration forms open cases; the rest of a case type's forms follow them up (visits). Without submissions, the name says. */
export function isFollowUp(form: CatalogForm): boolean {
  if (!form.caseType) return false;
  if (form.createsCases !== undefined) return !form.createsCases;
  return !/regist|enrol/i.test(form.name);
}

const plural = (caseType: string) => caseType.replace(/_/g, ' ');

function measure(key: string, name: string, description: string, table: string, expression: string, filter?: string): ProposedEntry {
  return { kind: 'measure', key, name, description, table, column: null, sql: measureSql(table, expression, filter), details: { expression, ...(filter ? { filter } : {}) } };
}

function dimension(key: string, name: string, description: string, table: string, column: string, details: Record<string, unknown>): ProposedEntry {
  return { kind: 'dimension', key, name, description, table, column, sql: `${table}.${ident(column).replace(/^"([a-z_][a-z0-9_]*)"$/, '$1')}`, details };
}

function fieldDimension(table: string, field: CatalogField, what: string): ProposedEntry | undefined {
  const label = field.label ?? field.column;
  if (field.choices.length > 0) {
    return dimension(`${table}.${field.column}`, label, `${what}: ${field.choices.map(choiceLabel).join(', ')}.`, table, field.column, {
      type: 'choice',
      choices: field.choices.map((value) => ({ value, label: choiceLabel(value) })),
    });
  }
  if (DATE_TYPES.test(field.type)) {
    return dimension(`${table}.${field.column}`, label, `${what}, a date: group by day, week (date_trunc('week', ${field.column})) or month.`, table, field.column, { type: 'date' });
  }
  return undefined;
}

function caseTypeLayer(type: CatalogCaseType, catalog: DomainCatalog): ProposedEntry[] {
  const { caseType, table } = type;
  const modules = type.modules.length ? ` (${type.modules.join('; ')})` : '';
  const out: ProposedEntry[] = [
    {
      kind: 'entity',
      key: `case_type:${caseType}`,
      name: plural(caseType),
      description: `Cases of type "${caseType}"${modules}: one row per case in ${table}, open and closed (closed = false is open).${type.present ? '' : ' The data has none yet.'}`,
      table,
      column: null,
      sql: table,
      details: { type: 'case_type', case_type: caseType, key_column: 'case_id' },
    },
    measure(`cases:${caseType}`, `${plural(caseType)} cases`, `Every ${plural(caseType)} case, open and closed.`, table, 'count(*)'),
    measure(`open_cases:${caseType}`, `open ${plural(caseType)} cases`, `${plural(caseType)} cases not closed (closed = false).`, table, 'count(*)', 'closed = false'),
    measure(`closed_cases:${caseType}`, `closed ${plural(caseType)} cases`, `${plural(caseType)} cases that are closed (closed = true).`, table, 'count(*)', 'closed = true'),
    dimension(`${table}.date_opened`, `${plural(caseType)} opened date`, `When a ${plural(caseType)} case was opened: group by day, week or month for registrations over time.`, table, 'date_opened', { type: 'date' }),
  ];
  if (type.directoryColumns.includes('location_name')) {
    out.push(dimension(`${table}.location_name`, `${plural(caseType)} location`, `The ${plural(caseType)} case's location (its owner, or its owner's primary location).`, table, 'location_name', { type: 'location' }));
  }
  if (type.directoryColumns.includes('owner_name')) {
    out.push(dimension(`${table}.owner_name`, `${plural(caseType)} owner`, `Who owns the ${plural(caseType)} case: a mobile worker, a group or a location.`, table, 'owner_name', { type: 'owner' }));
  }
  for (const property of type.properties) {
    const what = `${property.label ?? property.column} (case property "${property.source}" of ${plural(caseType)} cases)`;
    const found = fieldDimension(table, property, what);
    if (found) out.push(found);
    if (NUMBER_TYPES.test(property.type)) {
      out.push(measure(`avg:${table}.${property.column}`, `average ${property.label ?? property.column}`, `The mean of ${what}, over the cases that have it.`, table, `avg(${property.column})`, `${property.column} IS NOT NULL`));
    }
  }
  if (catalog.directory.includes('locations') && type.directoryColumns.includes('location_id')) {
    out.push({
      kind: 'relationship',
      key: `${table}.location_id->locations`,
      name: `${plural(caseType)} → location`,
      description: `A ${plural(caseType)} case's location, with a column per level above it (e.g. district_name).`,
      table,
      column: 'location_id',
      sql: `${table}.location_id = locations.location_id`,
      details: { from: `${table}.location_id`, to: 'locations.location_id', cardinality: 'many-to-one' },
    });
  }
  return out;
}

function formLayer(form: CatalogForm, catalog: DomainCatalog): ProposedEntry[] {
  const caseType = catalog.caseTypes.find((t) => t.caseType === form.caseType);
  const role = !form.caseType ? '' : isFollowUp(form) ? ` It follows up ${plural(form.caseType)} cases (a visit).` : ` It registers ${plural(form.caseType)} cases.`;
  const out: ProposedEntry[] = [
    {
      kind: 'entity',
      key: `form:${form.xmlns}`,
      name: form.name,
      description: `Submissions of the form "${form.name}": one row per submission in ${form.table}.${role}${form.present ? '' : ' The data has none yet.'}`,
      table: form.table,
      column: null,
      sql: form.table,
      details: { type: 'form', xmlns: form.xmlns, key_column: 'form_id', ...(form.caseType ? { case_type: form.caseType, follow_up: isFollowUp(form) } : {}) },
    },
    measure(`submissions:${form.xmlns}`, `${form.name} submissions`, `Submissions of the form "${form.name}".`, form.table, 'count(*)'),
  ];
  if (caseType) {
    out.push({
      kind: 'relationship',
      key: `${form.table}.case_ids->${caseType.table}`,
      name: `${form.name} → ${plural(caseType.caseType)}`,
      description: `The ${plural(caseType.caseType)} cases a "${form.name}" submission created, updated or closed.`,
      table: form.table,
      column: 'case_ids',
      sql: `${caseType.table}.case_id = ANY(${form.table}.case_ids)`,
      details: { from: `${form.table}.case_ids`, to: `${caseType.table}.case_id`, cardinality: 'many-to-many' },
    });
  }
  // Choice and date questions the case type's properties don't already give.
  const properties = new Set(caseType?.properties.map((p) => p.source) ?? []);
  for (const question of form.questions) {
    const leaf = question.source.split('/').pop() ?? question.source;
    if (properties.has(leaf)) continue;
    const found = fieldDimension(form.table, question, `${question.label ?? question.column} (question ${question.source} of "${form.name}")`);
    if (found) out.push(found);
  }
  return out;
}

export function proposeSemanticLayer(catalog: DomainCatalog): ProposedEntry[] {
  const out: ProposedEntry[] = [];
  for (const type of catalog.caseTypes) out.push(...caseTypeLayer(type, catalog));
  for (const form of catalog.forms) out.push(...formLayer(form, catalog));

  for (const link of catalog.relationships) {
    const child = catalog.caseTypes.find((t) => t.caseType === link.childType);
    const parent = catalog.caseTypes.find((t) => t.caseType === link.parentType);
    if (!child || !parent) continue;
    const viaView = link.name === 'parent';
    out.push({
      kind: 'relationship',
      key: `${child.table}.${link.name}->${parent.table}`,
      name: `${plural(link.childType)} → ${plural(link.parentType)}`,
      description: `Each ${plural(link.childType)} case belongs to a ${plural(link.parentType)} case (its "${link.name}" index, ${link.relationship === 'extension' ? 'an extension' : 'a child'}).`,
      table: child.table,
      column: viaView ? 'parent_case_id' : null,
      sql: viaView
        ? `${child.table}.parent_case_id = ${parent.table}.case_id`
        : `case_relationships.case_id = ${child.table}.case_id AND case_relationships.relationship_name = ${literal(link.name)} AND case_relationships.parent_case_id = ${parent.table}.case_id`,
      details: { from: `${child.table}.case_id`, to: `${parent.table}.case_id`, cardinality: 'many-to-one', index: link.name },
    });
  }

  out.push(
    measure('open_cases', 'open cases', 'Cases of every type that are not closed (closed = false).', 'cases', 'count(*)', 'closed = false'),
    measure('submissions', 'form submissions', 'Every form submission, of every form.', 'forms', 'count(*)'),
    measure(
      'active_workers',
      'active workers',
      "Mobile workers who submitted at least one form in the period: add the period on received_on, e.g. received_on >= date_trunc('month', now()).",
      'forms',
      'count(DISTINCT user_id)',
    ),
    dimension('forms.received_on', 'submission date', "When a form was received: group by day, week (date_trunc('week', received_on)) or month.", 'forms', 'received_on', { type: 'date' }),
  );
  const followUps = catalog.forms.filter(isFollowUp);
  if (followUps.length > 0) {
    out.push(
      measure(
        'visits',
        'visits',
        `Submissions of the follow-up forms (${followUps.map((f) => `"${f.name}"`).join(', ')}): each is a visit to a case already registered.`,
        'forms',
        'count(*)',
        `xmlns IN (${followUps.map((f) => literal(f.xmlns)).join(', ')})`,
      ),
    );
  }

  if (catalog.directory.includes('users')) {
    out.push(
      {
        kind: 'entity',
        key: 'users',
        name: 'users',
        description: 'The mobile workers (user_type = \'mobile\') and web users of the project, one row per user in users.',
        table: 'users',
        column: null,
        sql: 'users',
        details: { type: 'user', key_column: 'user_id' },
      },
      {
        kind: 'relationship',
        key: 'forms.user_id->users',
        name: 'submission → worker',
        description: 'The mobile worker who submitted a form.',
        table: 'forms',
        column: 'user_id',
        sql: 'forms.user_id = users.user_id',
        details: { from: 'forms.user_id', to: 'users.user_id', cardinality: 'many-to-one' },
      },
      {
        kind: 'relationship',
        key: 'cases.owner_id->users',
        name: 'case → owner',
        description: 'The mobile worker who owns a case (when a worker, not a group or location, owns it).',
        table: 'cases',
        column: 'owner_id',
        sql: 'cases.owner_id = users.user_id',
        details: { from: 'cases.owner_id', to: 'users.user_id', cardinality: 'many-to-one' },
      },
      measure('workers', 'mobile workers', 'The mobile workers of the project (active ones: active = true).', 'users', 'count(*)', "user_type = 'mobile'"),
      dimension('users.name', 'worker', "A mobile worker's name (join forms.user_id or cases.owner_id to users.user_id).", 'users', 'name', { type: 'user' }),
    );
  }
  if (catalog.directory.includes('locations')) {
    out.push({
      kind: 'entity',
      key: 'locations',
      name: 'locations',
      description: `The project's locations, one row per location in locations${catalog.locationLevels.length ? `, in levels ${catalog.locationLevels.map((l) => l.name).join(' > ')}` : ''}.`,
      table: 'locations',
      column: null,
      sql: 'locations',
      details: { type: 'location', key_column: 'location_id' },
    });
    for (const level of catalog.locationLevels) {
      out.push(
        dimension(
          `locations.${level.prefix}_name`,
          level.name,
          `The ${level.name} a location is in (level ${level.level}): join a view's location_id to locations.location_id and group by ${level.prefix}_name.`,
          'locations',
          `${level.prefix}_name`,
          { type: 'location_level', level: level.level, code: level.code },
        ),
      );
    }
  }
  return out;
}
