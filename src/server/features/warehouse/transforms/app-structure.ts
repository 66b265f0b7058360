import type { Application, ApplicationForm } from '../../commcare/types';
import { kindOfQuestion, mergeKinds, type ColumnKind } from './typing';

/**
 * What the applications say about the data: per case type, the properties and
 * the questions that save to them; per form (xmlns), its questions. Shapes
 * follow HQ's application API (modules → forms → questions from get_questions,
 * groups included).
 */

export interface Question {
  /** '/data/group/question'. */
  path: string;
  /** Keys inside the form body: ['group', 'question']. */
  keys: string[];
  label: string | undefined;
  type: string | undefined;
  options: string[];
  /** 'Repeat' questions: the whole repeat stays jsonb. */
  kind: ColumnKind;
}

export interface FormStructure {
  xmlns: string;
  name: string;
  moduleName: string;
  appName: string;
  caseType: string | undefined;
  /** Leaf questions and repeats, in form order, deduplicated by path. */
  questions: Question[];
}

export interface PropertyStructure {
  name: string;
  /** Undefined when no question is known to save to it. */
  kind: ColumnKind | undefined;
  label: string | undefined;
  options: string[];
}

export interface CaseTypeStructure {
  caseType: string;
  /** The modules' case_properties, in application order. */
  declared: string[];
  /**
   * What the questions that save to a property say about it, for every
   * property name a question saves to (declared or not: a property seen only
   * in the data is typed from its question too).
   */
  savedBy: Map<string, PropertyStructure>;
  modules: string[];
}

export interface AppStructure {
  caseTypes: Map<string, CaseTypeStructure>;
  forms: Map<string, FormStructure>;
}

/** Question types that hold no answer of their own, or whose answers live inside their children. */
const NO_COLUMN = new Set(['Group', 'FieldList', 'Trigger', 'Label']);

export function displayName(name: Record<string, string> | string | undefined | null, fallback: string): string {
  if (typeof name === 'string') return name || fallback;
  if (name && typeof name === 'object') {
    const value = name.en ?? Object.values(name).find((v) => typeof v === 'string' && v !== '');
    if (typeof value === 'string' && value !== '') return value;
  }
  return fallback;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function questionLabel(question: Record<string, unknown>): string | undefined {
  const label = str(question.label);
  if (label) return label;
  const translations = question.translations;
  if (translations && typeof translations === 'object') return displayName(translations as Record<string, string>, '') || undefined;
  return undefined;
}

function optionValues(question: Record<string, unknown>): string[] {
  if (!Array.isArray(question.options)) return [];
  const values: string[] = [];
  for (const option of question.options as unknown[]) {
    if (typeof option === 'string') values.push(option);
    else if (option && typeof option === 'object' && typeof (option as { value?: unknown }).value === 'string') values.push((option as { value: string }).value);
  }
  return values;
}

/** The form's leaf questions (and repeats) as columns-to-be; questions inside a repeat stay in the repeat's jsonb. */
export function formQuestions(form: ApplicationForm): Question[] {
  const out = new Map<string, Question>();
  for (const raw of form.questions ?? []) {
    const path = str(raw.value);
    if (!path || !path.startsWith('/')) continue;
    const type = str(raw.type);
    if (type !== undefined && NO_COLUMN.has(type)) continue;
    // Inside a repeat: the repeat itself (type Repeat) is the column.
    if (str(raw.repeat) && type !== 'Repeat') continue;
    const keys = path.split('/').filter(Boolean).slice(1);
    if (keys.length === 0 || out.has(path)) continue;
    const options = optionValues(raw);
    const kind: ColumnKind = type === 'Repeat' ? 'jsonb' : kindOfQuestion({ type, options });
    out.set(path, { path, keys, label: questionLabel(raw), type, options, kind });
  }
  return [...out.values()];
}

/** case type -> property -> question path. */
type Mappings = Map<string, Map<string, string>>;

function addMapping(mappings: Mappings, caseType: string, property: string, path: string): void {
  const byProperty = mappings.get(caseType) ?? new Map<string, string>();
  byProperty.set(property, path);
  mappings.set(caseType, byProperty);
}

/**
 * Which question saves to which property of which case type, when the
 * application says so: the form's actions in HQ's full app JSON (basic
 * forms: actions.update_case.update = {property: {question_path}} or
 * {property: path}, subcases with their own case_type; advanced forms:
 * case_properties of load_update_cases / open_cases, each with its
 * case_type), or `save_properties` on a question ([{case_type, property}]).
 */
function explicitMappings(form: ApplicationForm, moduleCaseType: string | undefined): Mappings {
  const mappings: Mappings = new Map();
  const visit = (node: unknown, caseType: string | undefined, depth: number): void => {
    if (!node || typeof node !== 'object' || depth > 8) return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, caseType, depth + 1);
      return;
    }
    const record = node as Record<string, unknown>;
    const ownType = str(record.case_type) ?? caseType;
    for (const [key, value] of Object.entries(record)) {
      if ((key === 'update' || key === 'case_properties') && value && typeof value === 'object' && !Array.isArray(value)) {
        if (!ownType) continue;
        for (const [property, target] of Object.entries(value as Record<string, unknown>)) {
          const path = typeof target === 'string' ? target : str((target as { question_path?: unknown } | null)?.question_path);
          if (path?.startsWith('/')) addMapping(mappings, ownType, property, path);
        }
      } else visit(value, ownType, depth + 1);
    }
  };
  visit((form as unknown as Record<string, unknown>).actions, moduleCaseType, 0);
  for (const question of form.questions ?? []) {
    const path = str(question.value);
    if (!path || !Array.isArray(question.save_properties)) continue;
    for (const saved of question.save_properties as unknown[]) {
      const entry = (saved ?? {}) as { case_type?: unknown; property?: unknown };
      const caseType = str(entry.case_type) ?? moduleCaseType;
      const property = str(entry.property);
      if (caseType && property) addMapping(mappings, caseType, property, path);
    }
  }
  return mappings;
}

function caseTypeEntry(caseTypes: Map<string, CaseTypeStructure>, caseType: string): CaseTypeStructure {
  let entry = caseTypes.get(caseType);
  if (!entry) caseTypes.set(caseType, (entry = { caseType, declared: [], savedBy: new Map(), modules: [] }));
  return entry;
}

function recordSaver(entry: CaseTypeStructure, property: string, question: Question): void {
  if (question.kind === 'jsonb') return;
  const target = entry.savedBy.get(property);
  if (!target) {
    entry.savedBy.set(property, { name: property, kind: question.kind, label: question.label, options: question.options });
    return;
  }
  target.kind = mergeKinds(target.kind, question.kind);
  target.label ??= question.label;
  if (target.options.length === 0) target.options = question.options;
}

export function readApplications(applications: readonly Application[]): AppStructure {
  const caseTypes = new Map<string, CaseTypeStructure>();
  const forms = new Map<string, FormStructure>();
  const savers: Array<{ caseType: string | undefined; questions: Question[]; explicit: Mappings }> = [];

  for (const app of applications) {
    for (const module of app.modules ?? []) {
      const caseType = str(module.case_type);
      const moduleName = displayName(module.name, 'Module');
      if (caseType) {
        const entry = caseTypeEntry(caseTypes, caseType);
        const described = `${moduleName} (${app.name})`;
        if (!entry.modules.includes(described)) entry.modules.push(described);
        for (const property of module.case_properties ?? []) {
          if (typeof property === 'string' && property !== '' && !entry.declared.includes(property)) entry.declared.push(property);
        }
      }
      for (const form of module.forms ?? []) {
        const questions = formQuestions(form);
        savers.push({ caseType, questions, explicit: explicitMappings(form, caseType) });
        if (!str(form.xmlns)) continue;
        const existing = forms.get(form.xmlns);
        if (!existing) {
          forms.set(form.xmlns, { xmlns: form.xmlns, name: displayName(form.name, 'Form'), moduleName, appName: app.name, caseType, questions });
          continue;
        }
        // The same form in another app (a copy) or build: union of its questions, first description wins.
        const byPath = new Map(existing.questions.map((q) => [q.path, q]));
        for (const question of questions) {
          const known = byPath.get(question.path);
          if (!known) existing.questions.push(question);
          else known.kind = mergeKinds(known.kind, question.kind);
        }
      }
    }
  }

  for (const { caseType, questions, explicit } of savers) {
    if (explicit.size > 0) {
      const byPath = new Map(questions.map((q) => [q.path, q]));
      for (const [type, properties] of explicit) {
        for (const [property, path] of properties) {
          const question = byPath.get(path);
          if (question) recordSaver(caseTypeEntry(caseTypes, type), property, question);
        }
      }
    } else if (caseType) {
      // No mapping in the app: a question saves to the property that bears its id.
      for (const question of questions) recordSaver(caseTypeEntry(caseTypes, caseType), question.keys[question.keys.length - 1]!, question);
    }
  }
  return { caseTypes, forms };
}
