import type pg from 'pg';
import type { AppStructure, PropertyStructure } from './app-structure';
import { NameAllocator, allocationOrder } from './names';
import { caseDirectoryColumns } from './directory-columns';
import { capColumns, choices, confirmTypes, sentence, type TypeCandidate, type ViewColumn, type ViewPlan } from './plan';
import type { CaseProbe } from './probe';
import { jsonText } from './sql';
import { castSql, isCastKind, type ColumnKind } from './typing';

/** One typed view per case type: `case_<type>`, fixed columns then one column per known property. */

const FIXED: ReadonlyArray<Omit<ViewColumn, 'source'>> = [
  { name: 'case_id', expr: 'case_id', description: 'Unique ID of the case.' },
  { name: 'case_name', expr: 'case_name', description: 'Name of the case.' },
  { name: 'external_id', expr: 'external_id', description: 'External ID of the case, if set.' },
  { name: 'owner_id', expr: 'owner_id', description: 'ID of the user, group or location that owns the case.' },
  { name: 'date_opened', expr: 'date_opened', description: 'When the case was opened.' },
  { name: 'last_modified', expr: 'last_modified', description: 'When the case was last modified (device time of the last form that touched it).' },
  { name: 'closed', expr: 'closed', description: 'Whether the case is closed.' },
  { name: 'date_closed', expr: 'date_closed', description: 'When the case was closed, if closed.' },
  {
    name: 'parent_case_id',
    expr: `(indices->'parent'->>'case_id')`,
    description: 'ID of the parent case (the "parent" index), if any; join to the parent type\'s case_id.',
  },
];

export interface CaseViewInput {
  app: AppStructure;
  probe: CaseProbe;
  observed: Map<string, string[]>;
  /** Allocates view names within the schema. */
  viewNames: NameAllocator;
  reservedWords: ReadonlySet<string>;
  /** The schema, when it has the directory tables: the views then name owners and locations. */
  directory?: string;
}

function describe(caseType: string, property: string, info: PropertyStructure | undefined, declared: boolean): string {
  const what = `Case property "${property}" of case type "${caseType}"`;
  const parts = [info?.label ? `${sentence(info.label)} ${what}.` : `${what}.`];
  if (info?.options.length) parts.push(choices(info.options));
  if (!declared) parts.push('Seen in the data but not listed by the application.');
  return parts.join(' ');
}

export async function planCaseViews(client: pg.ClientBase, input: CaseViewInput): Promise<ViewPlan[]> {
  const { app, probe, observed } = input;
  // Every case type in the data, and the application's (a view with no rows yet still documents the type).
  const caseTypes = [...new Set([...probe.caseTypes.keys(), ...app.caseTypes.keys()])];
  const plans: ViewPlan[] = [];
  for (const caseType of allocationOrder(caseTypes, (t) => t)) {
    const structure = app.caseTypes.get(caseType);
    const declared = structure?.declared ?? [];
    const properties = [...declared, ...(observed.get(caseType) ?? []).filter((p) => !declared.includes(p))];
    const filter = { column: 'case_type' as const, value: caseType };

    // Types from the questions that save to each property, then confirmed by the probe's values.
    const kinds = new Map<string, ColumnKind>();
    const candidates: Array<TypeCandidate & { property: string }> = [];
    for (const property of properties) {
      const kind = structure?.savedBy.get(property)?.kind ?? 'text';
      kinds.set(property, kind);
      if (isCastKind(kind)) candidates.push({ property, kind, value: jsonText('properties', [property]) });
    }
    const confirmed = await confirmTypes(client, probe.table, filter, candidates);
    candidates.forEach((candidate, i) => {
      if (!confirmed[i]) kinds.set(candidate.property, 'text');
    });

    const readable = input.directory ? caseDirectoryColumns(input.directory) : [];
    const columnNames = new NameAllocator({ taken: [...FIXED, ...readable].map((c) => c.name), reservedWords: input.reservedWords });
    const names = new Map<string, string>();
    for (const property of allocationOrder(properties, (p) => p)) names.set(property, columnNames.allocate(property));

    const columns: ViewColumn[] = [...FIXED.map((column) => ({ ...column, source: column.name === 'parent_case_id' ? 'case index parent' : 'system' })), ...readable];
    for (const property of properties) {
      const kind = kinds.get(property)!;
      const value = jsonText('properties', [property]);
      columns.push({
        name: names.get(property)!,
        expr: isCastKind(kind) ? castSql(kind, value) : value,
        description: describe(caseType, property, structure?.savedBy.get(property), declared.includes(property)),
        source: `case property ${property}`,
      });
    }
    const modules = structure?.modules.length ? ` Application modules: ${structure.modules.join('; ')}.` : '';
    const plan: ViewPlan = {
      name: input.viewNames.allocate(caseType, { prefix: 'case_' }),
      base: 'cases',
      filter,
      columns,
      description: `Cases of type "${caseType}", one row per case (open and closed), each case property a typed column.${modules}`,
      caseType,
      properties,
    };
    plans.push(capColumns(plan, 'cases.properties'));
  }
  return plans;
}
