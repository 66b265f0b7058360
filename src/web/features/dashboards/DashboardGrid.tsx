import type { DashboardTile } from '@shared/questions';
import { useMemo, type ReactNode } from 'react';
import GridLayout, { useContainerWidth, type Layout } from 'react-grid-layout';
import 'react-grid-layout/css/styles.css';
import 'react-resizable/css/styles.css';
import { GRID_COLS, readingOrder, ROW_HEIGHT } from './dashboard-model';

/** Gaps between tiles, in px. */
const MARGIN = 12;
/** Narrower than this (a phone), tiles stack in one column in reading order. */
const STACK_BELOW = 640;
/** The drag handle: a tile's header, in edit mode. */
export const DRAG_HANDLE = 'tile-drag-handle';

/** A tile `h` rows tall, in px. */
export function tileHeight(h: number): number {
  return h * ROW_HEIGHT + (h - 1) * MARGIN;
}

interface DashboardGridProps {
  tiles: readonly DashboardTile[];
  /** Tiles move and resize (on a wide screen). */
  editing: boolean;
  renderTile: (tile: DashboardTile, heightPx: number) => ReactNode;
  onLayoutChange?: (layout: Layout) => void;
}

/** The tiles on the 12-column grid (react-grid-layout), or stacked on a phone. */
export function DashboardGrid({ tiles, editing, renderTile, onLayoutChange }: DashboardGridProps) {
  const { width, containerRef, mounted } = useContainerWidth();
  const layout = useMemo<Layout>(
    () => tiles.map((tile) => ({ i: tile.id, x: tile.layout.x, y: tile.layout.y, w: tile.layout.w, h: tile.layout.h, minW: 2, minH: 2 })),
    [tiles],
  );
  const stacked = mounted && width < STACK_BELOW;

  return (
    <div ref={containerRef} className="min-w-0" data-layout={stacked ? 'stacked' : 'grid'}>
      {mounted &&
        (stacked ? (
          <ol className="grid gap-3" aria-label="Tiles">
            {readingOrder(tiles).map((tile) => (
              <li key={tile.id} style={{ height: tileHeight(Math.max(tile.layout.h, 4)) }} className="min-w-0">
                {renderTile(tile, tileHeight(Math.max(tile.layout.h, 4)))}
              </li>
            ))}
          </ol>
        ) : (
          <GridLayout
            width={width}
            layout={layout}
            gridConfig={{ cols: GRID_COLS, rowHeight: ROW_HEIGHT, margin: [MARGIN, MARGIN], containerPadding: [0, 0] }}
            dragConfig={{ enabled: editing, handle: `.${DRAG_HANDLE}`, cancel: 'button' }}
            resizeConfig={{ enabled: editing, handles: ['se'] }}
            onLayoutChange={editing ? onLayoutChange : undefined}
          >
            {tiles.map((tile) => (
              <div key={tile.id} className="min-w-0">
                {renderTile(tile, tileHeight(tile.layout.h))}
              </div>
            ))}
          </GridLayout>
        ))}
    </div>
  );
}
