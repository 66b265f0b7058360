import { describe, expect, it } from 'vitest';
import type { DashboardData, QuestionRun } from '../../../shared/questions';
import { MAX_STORED_BYTES, storable } from './service';

const run = (rows: number, width: number): QuestionRun => ({
  question_id: 'q',
  columns: [{ name: 'text', type: 'text' }],
  rows: Array.from({ length: rows }, (_, i) => [`${i}`.padEnd(width, 'x')]),
  row_count: rows,
  truncated: false,
  sql_executed: 'SELECT 1',
  chart: null,
  spec: { mark: 'bar' } as unknown as QuestionRun['spec'],
  parameters: {},
});

describe('stored runs', () => {
  it('keep a small result whole', () => {
    const small = run(10, 10);
    expect(JSON.parse(storable(small))).toEqual(small);
  });

  it('cut the biggest tiles of a run too large to store, saying so, and keep the small ones', () => {
    const data: DashboardData = {
      dashboard_id: 'd',
      source: 'stored',
      ran_at: new Date().toISOString(),
      filters: {},
      tiles: [
        { tile_id: 'big', status: 'ok', run: run(500, 20_000), timing_ms: 1 },
        { tile_id: 'small', status: 'ok', run: run(3, 10), timing_ms: 1 },
      ],
    };
    const text = storable(data);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_STORED_BYTES);
    const stored = JSON.parse(text) as DashboardData;
    expect(stored.tiles[0]!.run).toMatchObject({ truncated: true, spec: null });
    expect(stored.tiles[0]!.run!.rows.length).toBeLessThan(500);
    expect(stored.tiles[0]!.run!.row_count).toBe(stored.tiles[0]!.run!.rows.length);
    expect(stored.tiles[1]!.run).toMatchObject({ truncated: false, row_count: 3 });
  });
});
