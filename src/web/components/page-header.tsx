import type { ReactNode } from 'react';
import { cn } from '@/lib/cn';
import { DocumentTitle } from './document-title';

interface PageHeaderProps {
  title: string;
  description?: ReactNode;
  /** Buttons that act on the whole page, shown at the end of the header. */
  actions?: ReactNode;
  className?: string;
}

/** The top of every signed-in page: its one h1, and the tab title to match. */
export function PageHeader({ title, description, actions, className }: PageHeaderProps) {
  return (
    <header className={cn('mb-8 flex flex-wrap items-start justify-between gap-4', className)}>
      <DocumentTitle>{title}</DocumentTitle>
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        {description && <p className="text-sm text-muted-foreground">{description}</p>}
      </div>
      {actions && <div className="flex items-center gap-2">{actions}</div>}
    </header>
  );
}
