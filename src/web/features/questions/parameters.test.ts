import { describe, expect, it } from 'vitest';
import { collectValues, findPlaceholders, fromInput, syncParameters, toInput } from './parameters';

describe('question parameters', () => {
  it('finds each placeholder once, in order, and marks the ones written with .from/.to as ranged', () => {
    const sql = "SELECT * FROM cases WHERE type = {{ case_type }} AND opened BETWEEN {{period.from}} AND {{period.to}} AND x = {{case_type}} -- {{ not valid-name }}";
    expect(findPlaceholders(sql)).toEqual([
      { name: 'case_type', ranged: false },
      { name: 'period', ranged: true },
    ]);
  });

  it('keeps what the user said about a parameter still in the SQL and drops the ones gone', () => {
    const current = [
      { name: 'kept', type: 'number' as const, default: 5 },
      { name: 'gone', type: 'date' as const },
    ];
    expect(syncParameters('SELECT {{kept}}, {{fresh}}, {{when.from}}', current)).toEqual([
      { name: 'kept', type: 'number', default: 5 },
      { name: 'fresh', type: 'text' },
      { name: 'when', type: 'date_range' },
    ]);
  });

  it('reads numbers as numbers and refuses text that is not one', () => {
    expect(fromInput('number', ' 42 ')).toEqual({ value: 42 });
    expect(fromInput('number', 'forty')).toEqual({ error: 'Enter a number' });
    expect(fromInput('text', '  ')).toEqual({ value: undefined });
  });

  it('wants both ends of a date range, in order', () => {
    expect(fromInput('date_range', { from: '2024-01-01', to: '2024-01-31' })).toEqual({ value: { from: '2024-01-01', to: '2024-01-31' } });
    expect(fromInput('date_range', { from: '2024-01-01', to: '' })).toEqual({ error: 'Give both dates, or neither' });
    expect(fromInput('date_range', { from: '2024-02-01', to: '2024-01-01' })).toEqual({ error: 'The start comes after the end' });
    expect(fromInput('date_range', { from: '', to: '' })).toEqual({ value: undefined });
  });

  it('turns stored values back into form contents', () => {
    expect(toInput('date_range', { from: '2024-01-01', to: '2024-01-31' })).toEqual({ from: '2024-01-01', to: '2024-01-31' });
    expect(toInput('number', 3)).toBe('3');
    expect(toInput('date', undefined)).toBe('');
  });

  it('collects the values given and the errors, leaving out the empty ones', () => {
    const parameters = [
      { name: 'n', type: 'number' as const },
      { name: 't', type: 'text' as const },
      { name: 'bad', type: 'number' as const },
    ];
    expect(collectValues(parameters, { n: '7', t: '', bad: 'x' })).toEqual({ values: { n: 7 }, errors: { bad: 'Enter a number' } });
  });
});
