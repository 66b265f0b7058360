import { cn } from '@/lib/cn';

/** Brand-coloured monograms: Scout ships no third-party logos. */
const MONOGRAMS: Record<string, { text: string; className: string }> = {
  twitter: { text: '𝕏', className: 'bg-black text-white dark:bg-white dark:text-black' },
  wordpress: { text: 'W', className: 'bg-[#21759b] text-white' },
  linkedin: { text: 'in', className: 'bg-[#0a66c2] text-white' },
  medium: { text: 'M', className: 'bg-neutral-900 text-white dark:bg-neutral-100 dark:text-neutral-900' },
};

export function ConnectorIcon({ icon, name, className }: { icon: string; name: string; className?: string }) {
  const monogram = MONOGRAMS[icon] ?? { text: name.slice(0, 1).toUpperCase(), className: 'bg-muted text-foreground' };
  return (
    <span aria-hidden className={cn('flex size-10 shrink-0 items-center justify-center rounded-lg text-base font-bold', monogram.className, className)}>
      {monogram.text}
    </span>
  );
}
