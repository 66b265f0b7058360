import { LoaderCircle } from 'lucide-react';
import type { ComponentProps } from 'react';
import { cn } from '@/lib/cn';

interface SpinnerProps extends Omit<ComponentProps<'svg'>, 'ref'> {
  /** Announced to assistive technology; omit when the surrounding control already says it is busy. */
  label?: string;
}

export function Spinner({ label, className, ...props }: SpinnerProps) {
  const accessibility = label
    ? ({ role: 'status', 'aria-label': label } as const)
    : ({ 'aria-hidden': true } as const);
  return <LoaderCircle className={cn('size-4 animate-spin', className)} {...accessibility} {...props} />;
}
