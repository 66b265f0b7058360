import { ERROR_CODES } from '../../../shared/errors';
import type { DashboardFilter, DashboardTile, ParameterValue, QuestionParameter } from '../../../shared/questions';
import { AppError } from '../../platform/http/errors';
import { checkValue } from '../questions/values';

const PREFIX = 'filter.';

/**
 * The filter bar's values from a URL's query (`filter.<name>=…`, a date
 * range as `filter.<name>.from` and `.to`), each checked as its filter's
 * type; a filter left out takes its default. Unknown filters are a 400.
 */
export function filterValues(query: Record<string, string>, filters: readonly DashboardFilter[]): Record<string, ParameterValue> {
  const byName = new Map(filters.map((f) => [f.name, f]));
  const raw = new Map<string, unknown>();
  const fields: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(query)) {
    if (!key.startsWith(PREFIX)) continue;
    const rest = key.slice(PREFIX.length);
    const dot = rest.indexOf('.');
    const name = dot === -1 ? rest : rest.slice(0, dot);
    const part = dot === -1 ? undefined : rest.slice(dot + 1);
    const filter = byName.get(name);
    if (!filter) {
      fields[key] = [`this dashboard has no filter named ${name}`];
      continue;
    }
    if (filter.type === 'date_range') {
      if (part !== 'from' && part !== 'to') {
        fields[key] = [`${name} is a date range: give ${PREFIX}${name}.from and ${PREFIX}${name}.to`];
        continue;
      }
      const range = (raw.get(name) as Record<string, string> | undefined) ?? {};
      range[part] = value;
      raw.set(name, range);
    } else if (part !== undefined) {
      fields[key] = [`only a date range has .from and .to`];
    } else {
      raw.set(name, value);
    }
  }
  const values: Record<string, ParameterValue> = {};
  for (const filter of filters) {
    const given = raw.get(filter.name) ?? filter.default;
    if (given === undefined || given === '') continue;
    const checked = checkValue(filter as QuestionParameter, given);
    if ('error' in checked) fields[`${PREFIX}${filter.name}`] = [checked.error];
    else values[filter.name] = checked.value;
  }
  if (Object.keys(fields).length > 0) throw new AppError(400, ERROR_CODES.validation, 'Some filters need attention', fields);
  return values;
}

/** A tile's question parameters from the dashboard's filter values, through the tile's mapping. */
export function tileParameters(tile: DashboardTile, values: Record<string, ParameterValue>): Record<string, ParameterValue> {
  const parameters: Record<string, ParameterValue> = {};
  for (const [filter, parameter] of Object.entries(tile.filters ?? {})) {
    const value = values[filter];
    if (value !== undefined) parameters[parameter] = value;
  }
  return parameters;
}

/** Whether a filter of this type can feed a parameter of that one (text and choice are both text). */
export function compatible(filter: DashboardFilter['type'], parameter: QuestionParameter['type']): boolean {
  const text = (type: string) => type === 'text' || type === 'choice';
  return filter === parameter || (text(filter) && text(parameter));
}
