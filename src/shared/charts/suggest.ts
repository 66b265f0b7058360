import { profileColumns } from './columns';
import type { ChartConfig, ChartData, ColumnProfile } from './types';

/** More slices than this and a pie is unreadable; more series than this and colours repeat. */
export const MAX_PIE_SLICES = 8;
export const MAX_SERIES = 10;

/**
 * The chart that best fits a result, from its columns' types and cardinalities:
 * a date and a number is a line, a category and a number a bar sorted by value,
 * two numbers a scatter, a single number a big number; anything else a table.
 */
export function suggestChart(data: ChartData, profiles: ColumnProfile[] = profileColumns(data)): ChartConfig {
  if (data.rows.length === 0) return { kind: 'table' };
  const numbers = profiles.filter((p) => p.role === 'quantitative');
  const times = profiles.filter((p) => p.role === 'temporal');
  const categories = profiles.filter((p) => p.role === 'nominal');
  const firstNumber = numbers[0];
  if (!firstNumber) return { kind: 'table' };

  if (data.rows.length === 1 && numbers.length === 1 && profiles.length <= 2) return { kind: 'number', y: firstNumber.name };

  const series = (exclude: string) => categories.find((c) => c.name !== exclude && c.distinct > 1 && c.distinct <= MAX_SERIES)?.name;

  const time = times[0];
  if (time) {
    const split = series(time.name);
    return { kind: 'line', x: time.name, y: firstNumber.name, ...(split ? { series: split } : {}), sort: 'x' };
  }

  // The category people group by has repeated values only when a series splits it: prefer the one with more values.
  const category = [...categories].sort((a, b) => b.distinct - a.distinct)[0];
  if (category) {
    const split = series(category.name);
    if (split) return { kind: 'bar', x: category.name, y: firstNumber.name, series: split, layout: 'stacked', sort: '-y' };
    return { kind: 'bar', x: category.name, y: firstNumber.name, sort: '-y' };
  }

  const secondNumber = numbers[1];
  if (secondNumber) return { kind: 'scatter', x: firstNumber.name, y: secondNumber.name };
  return { kind: 'table' };
}

/**
 * A choice made complete for a result: columns the kind needs but the choice
 * left out are filled from the suggestion or the columns' roles.
 */
export function completeChart(chosen: ChartConfig, data: ChartData, profiles: ColumnProfile[] = profileColumns(data)): ChartConfig {
  const suggested = suggestChart(data, profiles);
  const byRole = (role: ColumnProfile['role'], not?: string) => profiles.find((p) => p.role === role && p.name !== not)?.name;
  const other = (not?: string) => profiles.find((p) => p.role !== 'quantitative' && p.name !== not)?.name;
  const y = chosen.y ?? (suggested.y && suggested.y !== chosen.x ? suggested.y : byRole('quantitative', chosen.x));
  const complete: ChartConfig = { ...chosen, y };
  switch (chosen.kind) {
    case 'number':
    case 'table':
      return { ...complete, x: chosen.x };
    case 'scatter':
      return { ...complete, x: chosen.x ?? byRole('quantitative', y) ?? other(y) };
    case 'line':
    case 'area':
      return { ...complete, x: chosen.x ?? byRole('temporal', y) ?? suggested.x ?? other(y), sort: chosen.sort ?? 'x' };
    case 'bar':
      // Biggest first unless asked otherwise ('none' keeps the query's ORDER BY).
      return { ...complete, x: chosen.x ?? (suggested.x !== y ? suggested.x : undefined) ?? other(y) ?? byRole('temporal', y), sort: chosen.sort ?? '-y' };
    default:
      return { ...complete, x: chosen.x ?? (suggested.x !== y ? suggested.x : undefined) ?? other(y) ?? byRole('temporal', y) };
  }
}
