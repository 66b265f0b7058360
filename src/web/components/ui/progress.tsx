import { Progress as ProgressPrimitive } from 'radix-ui';
import type { ComponentProps } from 'react';
import { cn } from '@/lib/cn';

/**
 * A determinate progress bar (role="progressbar", with its value for
 * assistive technology). Give it a name with `aria-label`, and the value in
 * words with `getValueLabel` when a percentage alone says too little.
 */
export function Progress({ className, value, max = 100, ...props }: ComponentProps<typeof ProgressPrimitive.Root>) {
  const fraction = value == null ? 0 : Math.min(Math.max(value / max, 0), 1);
  return (
    <ProgressPrimitive.Root
      value={value}
      max={max}
      className={cn('relative h-2 w-full overflow-hidden rounded-full bg-primary/15', className)}
      {...props}
    >
      <ProgressPrimitive.Indicator
        className="h-full w-full bg-primary transition-transform duration-300 ease-out"
        style={{ transform: `translateX(-${(1 - fraction) * 100}%)` }}
      />
    </ProgressPrimitive.Root>
  );
}
