import type { DashboardFilter, DashboardTile, ParameterValue, TileLayout } from '@shared/questions';
import { filterParams } from '@/api/dashboards';

/** The grid is 12 columns wide; a row is about 40 px (see TileLayout). */
export const GRID_COLS = 12;
export const ROW_HEIGHT = 40;

/** Each filter's default, which the bar starts from. */
export function defaultFilterValues(filters: readonly DashboardFilter[]): Record<string, ParameterValue> {
  const values: Record<string, ParameterValue> = {};
  for (const filter of filters) if (filter.default !== undefined) values[filter.name] = filter.default;
  return values;
}

/** Whether two sets of filter values ask for the same data. */
export function sameFilterValues(a: Readonly<Record<string, ParameterValue | undefined>>, b: Readonly<Record<string, ParameterValue | undefined>>): boolean {
  return filterParams(a).toString() === filterParams(b).toString();
}

/** Tiles in reading order (top to bottom, then left to right): how they stack on a phone. */
export function readingOrder<T extends { layout: TileLayout }>(tiles: readonly T[]): T[] {
  return [...tiles].sort((a, b) => a.layout.y - b.layout.y || a.layout.x - b.layout.x);
}

/** Where a new tile of `w` × `h` goes: the first free spot, top to bottom then left to right (beside the last tile when it fits). */
export function nextTileLayout(tiles: readonly DashboardTile[], w: number, h: number): TileLayout {
  const width = Math.min(w, GRID_COLS);
  const overlaps = (x: number, y: number) =>
    tiles.some(({ layout: l }) => x < l.x + l.w && l.x < x + width && y < l.y + l.h && l.y < y + h);
  const bottom = tiles.reduce((max, tile) => Math.max(max, tile.layout.y + tile.layout.h), 0);
  for (let y = 0; y < bottom; y++) {
    for (let x = 0; x + width <= GRID_COLS; x++) if (!overlaps(x, y)) return { x, y, w: width, h };
  }
  return { x: 0, y: bottom, w: width, h };
}

/** The grid's new positions written back onto the tiles (tiles the grid didn't report keep theirs). */
export function applyLayout(tiles: readonly DashboardTile[], layout: ReadonlyArray<{ i: string; x: number; y: number; w: number; h: number }>): DashboardTile[] {
  const byId = new Map(layout.map((item) => [item.i, item]));
  return tiles.map((tile) => {
    const item = byId.get(tile.id);
    if (!item) return tile;
    const next = { x: item.x, y: item.y, w: item.w, h: item.h };
    const same = next.x === tile.layout.x && next.y === tile.layout.y && next.w === tile.layout.w && next.h === tile.layout.h;
    return same ? tile : { ...tile, layout: next };
  });
}

/** A tile id no other tile has; short, since it travels in URLs. */
export function newTileId(tiles: readonly DashboardTile[]): string {
  const taken = new Set(tiles.map((tile) => tile.id));
  for (;;) {
    const id = `t${Math.random().toString(36).slice(2, 8)}`;
    if (!taken.has(id)) return id;
  }
}

/** A filter name the SQL side can use: letters, digits and underscores, starting with a letter. */
export function filterNameFrom(label: string): string {
  const words = label
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_');
  // Trimmed by index: an anchored regex for trailing underscores backtracks on long runs of them.
  let start = 0;
  let end = words.length;
  while (start < end && words[start] === '_') start += 1;
  while (end > start && words[end - 1] === '_') end -= 1;
  const name = words.slice(start, end).slice(0, 61);
  return /^[a-z]/.test(name) ? name : `f_${name}`;
}

/** The first value of the first row: what a big-number tile shows. */
export function bigNumber(rows: readonly unknown[][]): unknown {
  return rows[0]?.[0];
}
