import { describe, expect, it } from 'vitest';
import { compareCells, sortRows } from './sort-rows';

describe('sortRows', () => {
  const rows = [
    ['b', '10', null],
    ['a', '9', 3],
    ['c', null, 1],
    ['A', '100', 2],
  ] as const;

  it('sorts numeric strings by value and text case-insensitively, keeping nulls last both ways', () => {
    expect(sortRows(rows, 1, 'asc').map((r) => r[1])).toEqual(['9', '10', '100', null]);
    expect(sortRows(rows, 1, 'desc').map((r) => r[1])).toEqual(['100', '10', '9', null]);
    expect(sortRows(rows, 2, 'desc').map((r) => r[2])).toEqual([3, 2, 1, null]);
    expect(sortRows(rows, 0, 'asc').map((r) => r[0])).toEqual(['a', 'A', 'b', 'c']);
  });

  it('leaves the input alone and compares JSON values as text', () => {
    const copy = structuredClone(rows);
    sortRows(rows, 0, 'desc');
    expect(rows).toEqual(copy);
    expect(compareCells({ a: 1 }, { a: 2 })).toBeLessThan(0);
  });
});
