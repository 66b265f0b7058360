import { describe, expect, it } from 'vitest';
import { quoteIdentifier } from './sql-editor-handle';

describe('quoting a name for SQL', () => {
  it('leaves a plain lower-case name bare', () => {
    expect(quoteIdentifier('case_household')).toBe('case_household');
  });

  it('quotes names with capitals, dots, spaces or reserved words, doubling quotes', () => {
    expect(quoteIdentifier('Visit Date')).toBe('"Visit Date"');
    expect(quoteIdentifier('form.age')).toBe('"form.age"');
    expect(quoteIdentifier('order')).toBe('"order"');
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
  });
});
