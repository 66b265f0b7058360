import type pg from 'pg';
import type { AppStructure, FormStructure, Question } from './app-structure';
import { NameAllocator, allocationOrder } from './names';
import { formDirectoryColumns } from './directory-columns';
import { capColumns, choices, confirmTypes, sentence, type TypeCandidate, type ViewColumn, type ViewPlan } from './plan';
import type { FormSample, Probe } from './probe';
import { jsonText, jsonValue } from './sql';
import { castSql, isCastKind, type ColumnKind } from './typing';

/** One view per form (xmlns): `form_<name>`, fixed columns then each question flattened. */

const FIXED: readonly ViewColumn[] = [
  { name: 'form_id', expr: 'form_id', description: 'Unique ID of the form submission.', source: 'system' },
  { name: 'received_on', expr: 'received_on', description: 'When the server received the submission.', source: 'system' },
  { name: 'user_id', expr: 'user_id', description: 'ID of the mobile worker who submitted the form.', source: 'system' },
  { name: 'app_id', expr: 'app_id', description: 'ID of the application the form belongs to.', source: 'system' },
  { name: 'case_ids', expr: 'case_ids', description: 'IDs of the cases the submission created, updated or closed.', source: 'system' },
];

/** A case block (`case` with @case_id, at the top or inside a subcase group): not questions. */
function isCaseBlock(key: string, value: unknown): boolean {
  return key === 'case' && !!value && typeof value === 'object' && ('@case_id' in value || '@xmlns' in value);
}

interface Column {
  keys: string[];
  path: string;
  kind: ColumnKind;
  label: string | undefined;
  options: readonly string[];
  fromApp: boolean;
}

/**
 * Question paths in sampled bodies: objects are groups (their keys are
 * questions), arrays are repeats (kept as jsonb), anything else an answer.
 */
export function observedPaths(bodies: readonly unknown[]): Map<string, { keys: string[]; repeat: boolean }> {
  const out = new Map<string, { keys: string[]; repeat: boolean; group: boolean }>();
  const visit = (node: Record<string, unknown>, keys: string[]): void => {
    for (const [key, value] of Object.entries(node)) {
      // XML attributes and text nodes, the case block and the metadata block are not questions.
      if (key.startsWith('@') || key.startsWith('#') || isCaseBlock(key, value) || (keys.length === 0 && key === 'meta')) continue;
      const path = [...keys, key];
      const id = path.join('/');
      const seen = out.get(id) ?? { keys: path, repeat: false, group: false };
      out.set(id, seen);
      if (Array.isArray(value)) seen.repeat = true;
      else if (value && typeof value === 'object') {
        seen.group = true;
        visit(value as Record<string, unknown>, path);
      }
    }
  };
  for (const body of bodies) if (body && typeof body === 'object' && !Array.isArray(body)) visit(body as Record<string, unknown>, []);
  // Groups are not columns (their children are); a path under a repeat is inside the repeat's jsonb.
  const repeats = [...out.values()].filter((p) => p.repeat).map((p) => p.keys.join('/') + '/');
  const leaves = new Map<string, { keys: string[]; repeat: boolean }>();
  for (const [id, p] of out) {
    if (repeats.some((prefix) => id.startsWith(prefix))) continue;
    if (p.group && !p.repeat) continue;
    leaves.set(id, { keys: p.keys, repeat: p.repeat });
  }
  return leaves;
}

function columnsOf(structure: FormStructure | undefined, sample: FormSample | undefined): Column[] {
  const columns: Column[] = (structure?.questions ?? []).map((q: Question) => ({
    keys: q.keys,
    path: q.path,
    kind: q.kind,
    label: q.label,
    options: q.options,
    fromApp: true,
  }));
  const known = new Set(columns.map((c) => c.keys.join('/')));
  const repeats = columns.filter((c) => c.kind === 'jsonb').map((c) => c.keys.join('/') + '/');
  const extra = [...observedPaths(sample?.bodies ?? [])].filter(([id]) => !known.has(id) && !repeats.some((prefix) => id.startsWith(prefix)));
  for (const [id, p] of extra.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    columns.push({ keys: p.keys, path: `/data/${id}`, kind: p.repeat ? 'jsonb' : 'text', label: undefined, options: [], fromApp: false });
  }
  return columns;
}

function describe(column: Column): string {
  const parts = [column.label ? sentence(column.label) : `Question ${column.path}.`];
  if (column.kind === 'jsonb') parts.push('Repeat group: one JSON object per repetition (a single repetition may be an object, not an array).');
  if (column.options.length) parts.push(choices(column.options));
  if (!column.fromApp) parts.push('Seen in submissions but not in the current application.');
  return parts.join(' ');
}

export interface FormViewInput {
  app: AppStructure;
  probe: Probe;
  samples: FormSample[];
  viewNames: NameAllocator;
  reservedWords: ReadonlySet<string>;
  /** The schema, when it has the directory tables: the views then name who submitted. */
  directory?: string;
}

export async function planFormViews(client: pg.ClientBase, input: FormViewInput): Promise<ViewPlan[]> {
  const { app, probe } = input;
  const samples = new Map(input.samples.map((s) => [s.xmlns, s]));
  const forms = [...new Set([...app.forms.keys(), ...samples.keys()])].map((xmlns) => {
    const structure = app.forms.get(xmlns);
    const sample = samples.get(xmlns);
    const name = structure?.name ?? sample?.formName ?? xmlns.split('/').filter(Boolean).pop() ?? 'form';
    return { xmlns, name, structure, sample };
  });
  const plans: ViewPlan[] = [];
  // By name, then xmlns: two forms with one name get _2 in a stable order.
  for (const form of allocationOrder(forms, (f) => f.name, (f) => f.xmlns)) {
    const filter = { column: 'xmlns' as const, value: form.xmlns };
    const columns = columnsOf(form.structure, form.sample);
    const candidates: Array<TypeCandidate & { column: Column }> = [];
    for (const column of columns) if (isCastKind(column.kind)) candidates.push({ column, kind: column.kind, value: jsonText('form', column.keys) });
    const confirmed = await confirmTypes(client, probe.table, filter, candidates);
    candidates.forEach((candidate, i) => {
      if (!confirmed[i]) candidate.column.kind = 'text';
    });

    const readable = input.directory ? formDirectoryColumns(input.directory) : [];
    const columnNames = new NameAllocator({ taken: [...FIXED, ...readable].map((c) => c.name), reservedWords: input.reservedWords });
    const names = new Map<Column, string>();
    for (const column of allocationOrder(columns, (c) => c.keys.join('/'))) names.set(column, columnNames.allocate(column.keys.join('/')));

    const viewColumns: ViewColumn[] = [...FIXED, ...readable];
    for (const column of columns) {
      const value = jsonText('form', column.keys);
      viewColumns.push({
        name: names.get(column)!,
        expr: column.kind === 'jsonb' ? jsonValue('form', column.keys) : isCastKind(column.kind) ? castSql(column.kind, value) : value,
        description: describe(column),
        source: `${column.fromApp ? 'form question' : 'form data'} ${column.path}`,
      });
    }
    const where = form.structure
      ? ` (module "${form.structure.moduleName}", application "${form.structure.appName}"${form.structure.caseType ? `, case type "${form.structure.caseType}"` : ''})`
      : ' (not in any current application)';
    const plan: ViewPlan = {
      name: input.viewNames.allocate(form.name, { prefix: 'form_' }),
      base: 'forms',
      filter,
      columns: viewColumns,
      description: `Submissions of form "${form.name}"${where}, one row per submission, questions flattened into columns. xmlns: ${form.xmlns}`,
    };
    plans.push(capColumns(plan, 'forms.form'));
  }
  return plans;
}
