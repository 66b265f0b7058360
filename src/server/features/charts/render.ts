import { createRequire } from 'node:module';
import path from 'node:path';
import { renderAsync } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from '../../../shared/charts/spec';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));
const OPEN_SANS = packageDir('open-sans-fontface');
const DEJAVU = path.join(packageDir('dejavu-fonts-ttf'), 'ttf');

/** What server-rendered specs name as their font: shipped with Scout, since a fresh machine may have none. */
export const CHART_FONT = 'Open Sans';
/**
 * Open Sans is small (a font costs the renderer time to load on every image)
 * and covers Latin, Greek, Cyrillic and Vietnamese. Labels in other scripts
 * bring DejaVu Sans (Arabic, Hebrew, Armenian, Georgian, symbols) and the
 * machine's own fonts, slower but legible.
 */
const LATIN_FONTS = [path.join(OPEN_SANS, 'fonts/Regular/OpenSans-Regular.ttf'), path.join(OPEN_SANS, 'fonts/Bold/OpenSans-Bold.ttf')];
const WIDE_FONTS = [...LATIN_FONTS, path.join(DEJAVU, 'DejaVuSans.ttf'), path.join(DEJAVU, 'DejaVuSans-Bold.ttf')];

/** Whether every character is one Open Sans has: through Cyrillic, Latin Extended Additional, punctuation and currency. */
export function latinOnly(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x052f || (code >= 0x1e00 && code <= 0x1fff) || (code >= 0x2000 && code <= 0x20cf) || code === 0x2122) continue;
    return false;
  }
  return true;
}

/** Vega may load nothing on the server: every spec Scout renders carries its rows. */
const refusingLoader = vega.loader();
refusingLoader.load = () => Promise.reject(new Error('Charts load no external data'));
refusingLoader.sanitize = () => Promise.reject(new Error('Charts load no external data'));

export interface RenderedChart {
  svg: string;
  png: Buffer;
  width: number;
  height: number;
}

/** Tooltips mean nothing in an image and cost the renderer a third of its time: gone from marks and encodings. */
function withoutTooltips(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTooltips);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) if (key !== 'tooltip') out[key] = key === 'data' ? inner : withoutTooltips(inner);
  return out;
}

/**
 * Times as milliseconds instead of ISO text: vega then skips parsing a date
 * per row, a tenth of a long line's drawing. Only plain field names (no
 * escaped dots) of temporal channels.
 */
function timesAsNumbers(spec: ChartSpec): ChartSpec {
  const encoding = spec.encoding as Record<string, { field?: unknown; type?: unknown }> | undefined;
  const data = spec.data as { values?: Array<Record<string, unknown>> } | undefined;
  if (!encoding || !Array.isArray(data?.values)) return spec;
  const fields = Object.values(encoding)
    .filter((channel) => channel && channel.type === 'temporal' && typeof channel.field === 'string' && !channel.field.includes('\\'))
    .map((channel) => channel.field as string);
  if (fields.length === 0) return spec;
  const values = data.values.map((row) => {
    const copy = { ...row };
    for (const field of fields) {
      const value = copy[field];
      if (typeof value === 'string') {
        const time = Date.parse(value);
        if (Number.isFinite(time)) copy[field] = time;
      }
    }
    return copy;
  });
  return { ...spec, data: { ...data, values } };
}

function markType(spec: ChartSpec): string | undefined {
  const mark = spec.mark;
  return typeof mark === 'string' ? mark : mark && typeof mark === 'object' ? String((mark as { type?: unknown }).type) : undefined;
}

/**
 * A Vega-Lite spec as SVG, then PNG of exactly `size`: vega's headless
 * renderer and resvg, no browser. resvg draws on libuv's threads, so the
 * event loop serves others meanwhile.
 */
export async function renderChart(spec: ChartSpec, size: { width: number; height: number }): Promise<RenderedChart> {
  const sized = { ...timesAsNumbers(withoutTooltips(spec) as ChartSpec), width: size.width, height: size.height, autosize: { type: 'fit', contains: 'padding' }, background: 'white' };
  const view = new vega.View(vega.parse(compile(sized as TopLevelSpec).spec), { renderer: 'none', loader: refusingLoader });
  let svg: string;
  try {
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }
  const wide = !latinOnly(svg);
  const image = await renderAsync(svg, {
    fitTo: { mode: 'width', value: size.width },
    // Bars are upright rectangles: drawn on whole pixels they need no anti-aliasing, at half the rasterising time.
    ...(markType(spec) === 'bar' ? { shapeRendering: 1 as const } : {}),
    textRendering: 1,
    font: { fontFiles: wide ? WIDE_FONTS : LATIN_FONTS, loadSystemFonts: wide, defaultFontFamily: CHART_FONT },
  });
  return { svg, png: image.asPng(), width: image.width, height: image.height };
}
