import type { DateRange, ParameterType, ParameterValue, QuestionParameter } from '@shared/questions';

/** `{{name}}`, `{{ name }}`, and a date range's ends `{{name.from}}` / `{{name.to}}`. */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)(?:\.(from|to))?\s*\}\}/g;

export interface Placeholder {
  name: string;
  /** Written with `.from` / `.to`: only a date range makes sense. */
  ranged: boolean;
}

/** The parameters a question's SQL names, in the order they first appear. */
export function findPlaceholders(sql: string): Placeholder[] {
  const found = new Map<string, Placeholder>();
  for (const match of sql.matchAll(PLACEHOLDER)) {
    const name = match[1]!;
    const ranged = match[2] !== undefined;
    const seen = found.get(name);
    if (seen) seen.ranged ||= ranged;
    else found.set(name, { name, ranged });
  }
  return [...found.values()];
}

/**
 * The parameter list for `sql`, keeping what was already said about a name
 * still there, and guessing a type for a new one (ranged ends mean a date range).
 */
export function syncParameters(sql: string, current: readonly QuestionParameter[]): QuestionParameter[] {
  const byName = new Map(current.map((parameter) => [parameter.name, parameter]));
  return findPlaceholders(sql).map(({ name, ranged }) => {
    const existing = byName.get(name);
    if (existing) return ranged && existing.type !== 'date_range' ? { ...existing, type: 'date_range', default: undefined } : existing;
    return { name, type: ranged ? 'date_range' : 'text' };
  });
}

export function isDateRange(value: unknown): value is DateRange {
  return typeof value === 'object' && value !== null && typeof (value as DateRange).from === 'string' && typeof (value as DateRange).to === 'string';
}

/** What a form field holds for a parameter: text for most, two dates for a range. */
export type ParameterInput = string | { from: string; to: string };

export function emptyInput(type: ParameterType): ParameterInput {
  return type === 'date_range' ? { from: '', to: '' } : '';
}

/** A stored value (a default, a bound value) as its form field's contents. */
export function toInput(type: ParameterType, value: ParameterValue | undefined): ParameterInput {
  if (value === undefined) return emptyInput(type);
  if (type === 'date_range') return isDateRange(value) ? { from: value.from, to: value.to } : { from: '', to: '' };
  return isDateRange(value) ? '' : String(value);
}

/**
 * A form field's contents as the value to send, or undefined when it is empty
 * (the server then uses the default, or says the parameter is required).
 * A number that isn't one, or a range missing an end, is an error message.
 */
export function fromInput(type: ParameterType, input: ParameterInput): { value: ParameterValue | undefined } | { error: string } {
  if (type === 'date_range') {
    const range = typeof input === 'string' ? { from: '', to: '' } : input;
    if (!range.from && !range.to) return { value: undefined };
    if (!range.from || !range.to) return { error: 'Give both dates, or neither' };
    if (range.from > range.to) return { error: 'The start comes after the end' };
    return { value: { from: range.from, to: range.to } };
  }
  const text = typeof input === 'string' ? input.trim() : '';
  if (text === '') return { value: undefined };
  if (type === 'number') {
    const number = Number(text);
    return Number.isFinite(number) ? { value: number } : { error: 'Enter a number' };
  }
  return { value: text };
}

/** The values of the inputs that have one, and the inputs' errors by name. */
export function collectValues(
  parameters: ReadonlyArray<{ name: string; type: ParameterType }>,
  inputs: Readonly<Record<string, ParameterInput>>,
): { values: Record<string, ParameterValue>; errors: Record<string, string> } {
  const values: Record<string, ParameterValue> = {};
  const errors: Record<string, string> = {};
  for (const parameter of parameters) {
    const result = fromInput(parameter.type, inputs[parameter.name] ?? emptyInput(parameter.type));
    if ('error' in result) errors[parameter.name] = result.error;
    else if (result.value !== undefined) values[parameter.name] = result.value;
  }
  return { values, errors };
}

export const PARAMETER_TYPE_LABELS: Record<ParameterType, string> = {
  text: 'Text',
  number: 'Number',
  date: 'Date',
  date_range: 'Date range',
  choice: 'Choice',
};
