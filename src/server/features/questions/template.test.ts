import { describe, expect, it } from 'vitest';
import type { QuestionParameter } from '../../../shared/questions';
import { bindTemplate, placeholders, TemplateError } from './template';
import { boundValues, type ParameterError, resolveValues } from './values';

const params: QuestionParameter[] = [
  { name: 'kind', type: 'text' },
  { name: 'period', type: 'date_range' },
  { name: 'n', type: 'number', default: 5 },
];

describe('question templates', () => {
  it('binds each placeholder as a typed parameter, the same name to the same number', () => {
    const bound = bindTemplate('SELECT * FROM cases WHERE case_type = {{ kind }} AND opened BETWEEN {{period.from}} AND {{period.to}} OR case_type = {{kind}} LIMIT {{n}}', params);
    expect(bound.sql).toBe('SELECT * FROM cases WHERE case_type = $1::text AND opened BETWEEN $2::date AND $3::date OR case_type = $1::text LIMIT $4::numeric');
    expect(bound.slots).toEqual([{ name: 'kind' }, { name: 'period', part: 'from' }, { name: 'period', part: 'to' }, { name: 'n' }]);
    const values = resolveValues(params, { kind: 'x', period: { from: '2026-01-01', to: '2026-01-31' } });
    expect(boundValues(bound.slots, values)).toEqual(['x', '2026-01-01', '2026-01-31', 5]);
  });

  it('leaves braces in strings, quoted names, dollar quotes and comments alone', () => {
    const sql = `SELECT '{{a}}', E'\\'{{b}}', "{{c}}", $q$ {{d}} $q$, $$ {{e}} $$ /* {{f}} /* nested {{g}} */ {{h}} */ -- {{i}}\n, {{kind}}`;
    expect(placeholders(sql)).toEqual([{ name: 'kind' }]);
    expect(bindTemplate(sql, params).sql.endsWith(', $1::text')).toBe(true);
  });

  it('says what is wrong with a placeholder', () => {
    expect(() => bindTemplate('SELECT {{unknown}}', params)).toThrow(/not one of the question's parameters/);
    expect(() => bindTemplate('SELECT {{period}}', params)).toThrow(/date range: use/);
    expect(() => bindTemplate('SELECT {{kind.from}}', params)).toThrow(/only a date range/);
    expect(() => bindTemplate('SELECT {{period.middle}}', params)).toThrow(/ends are {{period.from}}/);
    expect(() => bindTemplate('SELECT {{ 1 + 1 }}', params)).toThrow(TemplateError);
    expect(() => bindTemplate('SELECT {{kind', params)).toThrow(/no matching/);
  });

  it('scans adversarial text in one pass', () => {
    const many = 'x'.repeat(10_000);
    expect(placeholders(`SELECT '${"''".repeat(5_000)}`)).toEqual([]);
    expect(placeholders(`SELECT /*${'/*'.repeat(5_000)}`)).toEqual([]);
    expect(placeholders(`SELECT $${many}`)).toEqual([]);
    expect(() => placeholders(`SELECT ${'{{'.repeat(5_000)}`)).toThrow(TemplateError);
    expect(placeholders(`SELECT ${'{{kind}}'.repeat(1_400)}`)).toEqual([{ name: 'kind' }]);
  });
});

describe('parameter values', () => {
  it('checks each value as its type and names every parameter that is wrong', () => {
    try {
      resolveValues(params, { kind: 7, period: { from: '2026-02-30', to: '2026-03-01' }, n: 'many' });
      expect.unreachable();
    } catch (error) {
      expect((error as ParameterError).fields).toEqual({ period: ['must be {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}'], n: ['must be a number'] });
    }
    expect(() => resolveValues(params, { kind: 'a', period: { from: '2026-03-02', to: '2026-03-01' } })).toThrow(/on or before/);
    expect(resolveValues([{ name: 'c', type: 'choice', options: { values: ['a', 'b'] } }], { c: 'b' })).toEqual({ c: 'b' });
    expect(() => resolveValues([{ name: 'c', type: 'choice', options: { values: ['a', 'b'] } }], { c: 'z' })).toThrow(/one of a, b/);
  });
});
