import { describe, expect, it } from 'vitest';
import { closest } from './did-you-mean';

describe('closest', () => {
  it('suggests the nearest name for a typo, a swap counting once, ignoring case', () => {
    expect(closest('case_houshold', ['cases', 'case_household', 'forms'])).toBe('case_household');
    expect(closest('CASE_NAEM', ['case_name', 'case_id'])).toBe('case_name');
  });

  it('suggests nothing when no name is near enough, or the input is absurdly long', () => {
    expect(closest('patients', ['cases', 'forms'])).toBeUndefined();
    expect(closest('x', [])).toBeUndefined();
    expect(closest('c'.repeat(10_000), ['cases'])).toBeUndefined();
  });
});
