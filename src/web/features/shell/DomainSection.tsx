import { ArrowRight } from 'lucide-react';
import { useId } from 'react';
import { Link } from 'react-router';

/** Where the domain selector will live; until a domain is connected, the way to connect one. */
export function DomainSection({ onNavigate }: { onNavigate?: () => void }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId} className="px-2 text-xs font-medium text-muted-foreground">
        Domain
      </h2>
      <div className="mt-2 rounded-lg border border-dashed border-sidebar-border px-3 py-2.5 text-sm">
        <p className="text-muted-foreground">No domains connected yet</p>
        <Link
          to="/settings/connections"
          onClick={onNavigate}
          className="mt-1 inline-flex items-center gap-1 rounded-sm font-medium underline-offset-4 outline-none hover:underline focus-visible:ring-[3px] focus-visible:ring-ring/50"
        >
          Connect a domain
          <ArrowRight className="size-3.5" aria-hidden />
        </Link>
      </div>
    </section>
  );
}
