import type { Config } from 'vega-lite';

export type ColorScheme = 'light' | 'dark';

/** The app's own font stack (styles.css), so a chart reads like the page around it. */
const FONT = 'ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/**
 * The page's colours in sRGB (styles.css writes them in oklch, which an
 * exported PNG's canvas would also accept, but hex keeps the SVG readable
 * by any program the file is opened in).
 */
const PALETTE = {
  light: { card: '#ffffff', text: '#0a0a0a', muted: '#666666', grid: '#ebebeb', domain: '#a1a1a1' },
  dark: { card: '#131313', text: '#fafafa', muted: '#a1a1a1', grid: '#2e2e2e', domain: '#5c5c5c' },
} as const;

/**
 * Vega's own categorical colours (tableau10) are dark enough to vanish on a
 * near-black card; these are Tailwind's 400 shades, in the same order of hues.
 */
const DARK_CATEGORIES = ['#60a5fa', '#fb923c', '#f87171', '#2dd4bf', '#4ade80', '#facc15', '#c084fc', '#f472b6', '#a8a29e', '#94a3b8'];

/** The background a chart is drawn on: transparent on screen (the card shows through), the card's colour in a downloaded image. */
export function exportBackground(scheme: ColorScheme): string {
  return PALETTE[scheme].card;
}

/** The Vega-Lite config that makes a Scout spec look at home in light or dark mode. Specs keep the data and encodings; this only paints. */
export function chartTheme(scheme: ColorScheme): Config {
  const colors = PALETTE[scheme];
  const axis = { domainColor: colors.domain, tickColor: colors.domain, gridColor: colors.grid, labelColor: colors.muted, titleColor: colors.text, labelFontSize: 11, titleFontSize: 12, titleFontWeight: 600 as const };
  return {
    background: 'transparent',
    font: FONT,
    title: { color: colors.text, subtitleColor: colors.muted, fontSize: 14, subtitleFontSize: 12, fontWeight: 600 as const },
    axis,
    legend: { labelColor: colors.muted, titleColor: colors.text, labelFontSize: 11, titleFontSize: 12 },
    // No box around the plot: the card is the frame, as in the rest of the page.
    view: { stroke: null },
    // The big number and the table's cells are text marks, black by default.
    text: { color: colors.text },
    // Slices are separated by a line of the card's colour, as if cut out of it.
    arc: { stroke: colors.card, strokeWidth: 1 },
    ...(scheme === 'dark' ? { range: { category: DARK_CATEGORIES }, mark: { color: DARK_CATEGORIES[0] } } : {}),
  };
}
