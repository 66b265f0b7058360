import type { DashboardTile } from '@shared/questions';
import { describe, expect, it } from 'vitest';
import { filterParams } from '@/api/dashboards';
import { applyLayout, defaultFilterValues, filterNameFrom, nextTileLayout, readingOrder, sameFilterValues } from './dashboard-model';

const tile = (id: string, x: number, y: number, w = 6, h = 4): DashboardTile => ({ id, kind: 'text', text: id, layout: { x, y, w, h } });

describe('dashboard model', () => {
  it('writes filter values as the data endpoints read them, a date range as its two ends', () => {
    const params = filterParams({ period: { from: '2024-01-01', to: '2024-03-31' }, region: 'North', min: 3, empty: '', unset: undefined });
    expect(params.toString()).toBe('filter.period.from=2024-01-01&filter.period.to=2024-03-31&filter.region=North&filter.min=3');
  });

  it('starts the bar from the filters that have a default', () => {
    expect(defaultFilterValues([{ name: 'a', type: 'text', default: 'x' }, { name: 'b', type: 'number' }])).toEqual({ a: 'x' });
  });

  it('compares filter values by what they ask for', () => {
    expect(sameFilterValues({ a: 'x', b: undefined }, { a: 'x' })).toBe(true);
    expect(sameFilterValues({ a: { from: '2024-01-01', to: '2024-01-02' } }, { a: { from: '2024-01-01', to: '2024-01-03' } })).toBe(false);
  });

  it('stacks tiles in reading order: rows first, then columns', () => {
    expect(readingOrder([tile('c', 0, 4), tile('b', 6, 0), tile('a', 0, 0)]).map((t) => t.id)).toEqual(['a', 'b', 'c']);
  });

  it('puts a new tile in the first free spot: beside the others when it fits, else under them', () => {
    expect(nextTileLayout([tile('a', 0, 0, 6, 8)], 3, 4)).toEqual({ x: 6, y: 0, w: 3, h: 4 });
    expect(nextTileLayout([tile('a', 0, 0, 6, 4), tile('b', 6, 2, 6, 5)], 6, 3)).toEqual({ x: 0, y: 4, w: 6, h: 3 });
    expect(nextTileLayout([tile('a', 0, 0, 12, 4)], 6, 3)).toEqual({ x: 0, y: 4, w: 6, h: 3 });
    expect(nextTileLayout([], 20, 3)).toEqual({ x: 0, y: 0, w: 12, h: 3 });
  });

  it('takes the grid positions back onto the tiles, keeping unchanged tiles as they were', () => {
    const a = tile('a', 0, 0);
    const b = tile('b', 6, 0);
    const next = applyLayout([a, b], [{ i: 'a', x: 0, y: 0, w: 6, h: 4 }, { i: 'b', x: 0, y: 4, w: 12, h: 4 }]);
    expect(next[0]).toBe(a);
    expect(next[1]?.layout).toEqual({ x: 0, y: 4, w: 12, h: 4 });
  });

  it('names a filter from its label', () => {
    expect(filterNameFrom('Visit date')).toBe('visit_date');
    expect(filterNameFrom('2024 period')).toBe('f_2024_period');
  });
});
