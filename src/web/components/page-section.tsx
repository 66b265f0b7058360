import { useId, type ReactNode } from 'react';

interface PageSectionProps {
  title: string;
  description?: ReactNode;
  /** Buttons acting on the whole section, beside its heading. */
  actions?: ReactNode;
  children: ReactNode;
}

/** One titled part of a page, labelled by its heading for assistive technology. */
export function PageSection({ title, description, actions, children }: PageSectionProps) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="grid min-w-0 gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="grid gap-1">
          <h2 id={headingId} className="text-lg font-semibold tracking-tight">
            {title}
          </h2>
          {description && <p className="text-sm text-muted-foreground">{description}</p>}
        </div>
        {actions}
      </div>
      {children}
    </section>
  );
}
