import type { ParameterValue, QuestionParameter } from '../../../shared/questions';
import type { Placeholder } from './template';

/** Checks a question's parameter values and orders them for $1 … $n. */

const MAX_TEXT = 1_000;

export class ParameterError extends Error {
  constructor(readonly fields: Record<string, string[]>) {
    super(Object.entries(fields).map(([name, messages]) => `${name}: ${messages.join(', ')}`).join('; '));
  }
}

function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== 10 || value[4] !== '-' || value[7] !== '-') return false;
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9]) if (value[i]! < '0' || value[i]! > '9') return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** One value as its parameter's type, or the reason it isn't one. */
export function checkValue(parameter: QuestionParameter, value: unknown): { value: ParameterValue } | { error: string } {
  switch (parameter.type) {
    case 'text':
    case 'choice': {
      if (typeof value !== 'string' && typeof value !== 'number') return { error: 'must be text' };
      const text = String(value);
      if (text.length > MAX_TEXT) return { error: `must be at most ${MAX_TEXT} characters` };
      const fixed = parameter.options?.values;
      if (parameter.type === 'choice' && fixed && fixed.length > 0 && !fixed.includes(text)) return { error: `must be one of ${fixed.slice(0, 10).join(', ')}` };
      return { value: text };
    }
    case 'number': {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isFinite(number)) return { error: 'must be a number' };
      return { value: number };
    }
    case 'date':
      return isIsoDate(value) ? { value } : { error: 'must be a date written YYYY-MM-DD' };
    case 'date_range': {
      const range = value as { from?: unknown; to?: unknown } | null;
      if (!range || typeof range !== 'object' || !isIsoDate(range.from) || !isIsoDate(range.to)) return { error: 'must be {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}' };
      if (range.from > range.to) return { error: 'must start on or before the day it ends' };
      return { value: { from: range.from, to: range.to } };
    }
  }
}

/**
 * Every parameter's value (given, else its default), checked; a parameter
 * without either is missing. Unknown names are refused rather than ignored:
 * a typo would otherwise silently run with the default.
 */
export function resolveValues(parameters: readonly QuestionParameter[], given: Record<string, unknown> = {}): Record<string, ParameterValue> {
  const fields: Record<string, string[]> = {};
  const known = new Set(parameters.map((p) => p.name));
  for (const name of Object.keys(given)) if (!known.has(name)) fields[name] = [`is not a parameter of this question (it has ${parameters.map((p) => p.name).join(', ') || 'none'})`];
  const resolved: Record<string, ParameterValue> = {};
  for (const parameter of parameters) {
    const raw = given[parameter.name] ?? parameter.default;
    if (raw === undefined || raw === null || raw === '') {
      fields[parameter.name] = ['needs a value'];
      continue;
    }
    const checked = checkValue(parameter, raw);
    if ('error' in checked) fields[parameter.name] = [checked.error];
    else resolved[parameter.name] = checked.value;
  }
  if (Object.keys(fields).length > 0) throw new ParameterError(fields);
  return resolved;
}

/** The bound values in the order of the template's slots. */
export function boundValues(slots: readonly Placeholder[], values: Record<string, ParameterValue>): Array<string | number> {
  return slots.map((slot) => {
    const value = values[slot.name]!;
    if (typeof value === 'object') return slot.part === 'to' ? value.to : value.from;
    return value;
  });
}
