import { saveUrl } from '@/lib/save-url';
import { ImageDown } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import type { View } from 'vega';
import { Button } from '@/components/ui/button';
import { chartFileName } from './chart-choices';
import { exportBackground, type ColorScheme } from './chart-theme';

/** PNGs at twice the on-screen size stay sharp on high-density screens and in slides. */
const PNG_SCALE = 2;

/**
 * The chart as drawn, saved as PNG or SVG. On screen its background is the
 * card showing through; a file gets the card's colour, so light text drawn
 * for dark mode stays readable wherever the image is opened.
 */
async function imageUrl(view: View, format: 'png' | 'svg', scheme: ColorScheme): Promise<string> {
  const onScreen = view.background();
  view.background(exportBackground(scheme));
  try {
    return await view.toImageURL(format, format === 'png' ? PNG_SCALE : 1);
  } finally {
    view.background(onScreen);
  }
}

/** "Download PNG" and "Download SVG", ready once the chart is drawn. */
export function ChartDownloads({ view, title, scheme }: { view: View | null; title: string | undefined; scheme: ColorScheme }) {
  const [busy, setBusy] = useState<'png' | 'svg' | null>(null);
  async function download(format: 'png' | 'svg') {
    if (!view) return;
    setBusy(format);
    try {
      saveUrl(await imageUrl(view, format, scheme), chartFileName(title, format));
    } catch {
      toast.error(`Couldn't make the ${format.toUpperCase()} file. Try again.`);
    } finally {
      setBusy(null);
    }
  }
  return (
    <div className="flex flex-wrap gap-2">
      {(['png', 'svg'] as const).map((format) => (
        <Button key={format} variant="outline" size="sm" disabled={!view} loading={busy === format} onClick={() => void download(format)}>
          {busy !== format && <ImageDown aria-hidden />}
          Download {format.toUpperCase()}
        </Button>
      ))}
    </div>
  );
}
