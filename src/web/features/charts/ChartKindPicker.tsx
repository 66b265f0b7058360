import { CHART_KINDS, type ChartKind } from '@shared/charts/types';
import { ChartArea, ChartColumn, ChartLine, ChartPie, ChartScatter, Donut, Hash, Table, type LucideIcon } from 'lucide-react';
import { cn } from '@/lib/cn';

const KINDS: Record<ChartKind, { label: string; icon: LucideIcon }> = {
  bar: { label: 'Bar', icon: ChartColumn },
  line: { label: 'Line', icon: ChartLine },
  area: { label: 'Area', icon: ChartArea },
  scatter: { label: 'Scatter', icon: ChartScatter },
  pie: { label: 'Pie', icon: ChartPie },
  donut: { label: 'Donut', icon: Donut },
  number: { label: 'Number', icon: Hash },
  table: { label: 'Table', icon: Table },
};

/** The one kind whose name alone could mislead: it is the rows drawn as a picture, not the Table tab. */
const HINTS: Partial<Record<ChartKind, string>> = { table: 'The first rows drawn as an image, to download' };

interface ChartKindPickerProps {
  /** The kind drawn now; null for a spec that came without a choice (a model's own spec). */
  kind: ChartKind | null;
  /** Per kind, null when it can be drawn from this result, or why not. */
  availability: Record<ChartKind, string | null>;
  onPick: (kind: ChartKind) => void;
}

/** One press to another kind of chart; kinds the result can't make are greyed out, saying why. */
export function ChartKindPicker({ kind, availability, onPick }: ChartKindPickerProps) {
  return (
    // Outlined rather than filled like the Chart/Table tabs above it: a different control, and it looks it.
    <div role="group" aria-label="Chart kind" className="flex flex-wrap gap-0.5 rounded-lg border p-[3px]">
      {CHART_KINDS.map((option) => {
        const { label, icon: Icon } = KINDS[option];
        const reason = availability[option];
        const pressed = option === kind;
        return (
          <button
            key={option}
            type="button"
            aria-pressed={pressed}
            disabled={reason !== null}
            title={reason ?? HINTS[option] ?? `${label} chart`}
            onClick={() => onPick(option)}
            className={cn(
              'inline-flex h-7 items-center gap-1.5 rounded-md border border-transparent px-2 text-sm font-medium text-foreground/70 transition-[color,box-shadow] outline-none',
              'hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50 disabled:cursor-not-allowed disabled:opacity-40 disabled:hover:text-foreground/70',
              'aria-pressed:bg-accent aria-pressed:text-foreground dark:aria-pressed:bg-input/50',
            )}
          >
            <Icon aria-hidden className="size-4 shrink-0" />
            {/* On a phone the eight kinds fit one row as icons; their names stay for screen readers. */}
            <span className="sr-only sm:not-sr-only">{label}</span>
          </button>
        );
      })}
    </div>
  );
}
