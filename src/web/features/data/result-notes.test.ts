import { describe, expect, it } from 'vitest';
import { otherWarnings, truncationNote } from './result-notes';

describe('truncation notes', () => {
  it('says where the result was cut and what to do, in one phrase', () => {
    expect(truncationNote(500)).toMatch(/^cut at 500 rows — aggregate, filter or add LIMIT$/);
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
