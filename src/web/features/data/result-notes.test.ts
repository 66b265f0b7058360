import { describe, expect, it } from 'vitest';
import { otherWarnings, rowCountLabel, truncationHint } from './result-notes';

describe('truncation notes', () => {
  it('says plainly that a cut result shows only the first rows, and counts a whole one', () => {
    expect(rowCountLabel(500, true)).toBe('Showing the first 500 rows');
    expect(rowCountLabel(12, false)).toBe('12 rows');
    expect(rowCountLabel(1, false)).toBe('1 row');
  });

  it('points to the export when it is there, else to narrowing the query', () => {
    expect(truncationHint(true)).toBe('Export all to get every row');
    expect(truncationHint(false)).toBe('aggregate or filter to see the rest');
  });

  it("drops the tools' own cut-result warnings, which the status line already gives, and keeps the rest", () => {
    const warnings = [
      'Only the first 500 rows are shown; aggregate, filter or add LIMIT to see the rest.',
      'The chart draws only the first 500 rows; aggregate in SQL (GROUP BY) so that every row is in it.',
      'The data was last synced 3 days ago.',
    ];
    expect(otherWarnings(warnings, { truncated: true, row_count: 500 })).toEqual(['The data was last synced 3 days ago.']);
  });

  it('keeps every warning of a result that was not cut', () => {
    const warnings = ['Only the first 500 rows are shown; aggregate, filter or add LIMIT to see the rest.'];
    expect(otherWarnings(warnings, { truncated: false, row_count: 12 })).toEqual(warnings);
  });
});
