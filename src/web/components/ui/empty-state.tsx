import type { LucideIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import { cn } from '@/lib/cn';

interface EmptyStateProps {
  icon: LucideIcon;
  title: string;
  description: ReactNode;
  /** What to do about it: usually one button or link. */
  action?: ReactNode;
  /** 1 when the empty state is the whole page, so the page still has its one top-level heading. */
  headingLevel?: 1 | 2;
  className?: string;
}

/** Stands in for content that does not exist yet, and says how to get it. */
export function EmptyState({ icon: Icon, title, description, action, headingLevel = 2, className }: EmptyStateProps) {
  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  return (
    <section
      className={cn(
        'flex flex-col items-center justify-center rounded-xl border border-dashed border-foreground/15 px-6 py-12 text-center',
        className,
      )}
    >
      <div className="flex size-12 items-center justify-center rounded-full bg-muted">
        <Icon className="size-6 text-muted-foreground" aria-hidden />
      </div>
      <Heading className="mt-4 text-base font-semibold tracking-tight text-balance">{title}</Heading>
      <p className="mt-1.5 max-w-md text-sm text-balance text-muted-foreground">{description}</p>
      {action && <div className="mt-6 flex flex-wrap justify-center gap-2">{action}</div>}
    </section>
  );
}
