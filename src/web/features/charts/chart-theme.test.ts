import { describe, expect, it } from 'vitest';
import { chartTheme, exportBackground } from './chart-theme';

describe('chartTheme', () => {
  it('draws dark mode with light text on a transparent background, and brighter colours', () => {
    const dark = chartTheme('dark');
    expect(dark.background).toBe('transparent');
    expect(dark.title).toMatchObject({ color: '#fafafa' });
    expect(dark.axis).toMatchObject({ labelColor: '#a1a1a1', titleColor: '#fafafa' });
    expect(dark.text).toMatchObject({ color: '#fafafa' });
    expect(dark.range?.category).toHaveLength(10);
  });

  it("keeps vega's own colours in light mode, with the page's text colours", () => {
    const light = chartTheme('light');
    expect(light.range).toBeUndefined();
    expect(light.axis).toMatchObject({ titleColor: '#0a0a0a' });
  });

  it('gives a downloaded image the card it was seen on', () => {
    expect(exportBackground('light')).toBe('#ffffff');
    expect(exportBackground('dark')).toBe('#131313');
  });
});
