import { ArrowRight, RotateCw } from 'lucide-react';
import { useId } from 'react';
import { Link } from 'react-router';
import { Button } from '@/components/ui/button';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Skeleton } from '@/components/ui/skeleton';
import { useActiveDomain } from '@/store/active-domain';
import { useAppStore } from '@/store/app-store';

/** The sidebar's domain selector: which CommCare project Chat and Data work on. */
export function DomainSection({ onNavigate }: { onNavigate?: () => void }) {
  const headingId = useId();
  return (
    // min-w-0: a long domain name is cut short in the selector instead of widening the sidebar.
    <section aria-labelledby={headingId} className="min-w-0">
      <h2 id={headingId} className="px-2 text-xs font-medium text-muted-foreground">
        Domain
      </h2>
      <div className="mt-2">
        <DomainSelector labelledBy={headingId} onNavigate={onNavigate} />
      </div>
    </section>
  );
}

function DomainSelector({ labelledBy, onNavigate }: { labelledBy: string; onNavigate?: (() => void) | undefined }) {
  const domains = useAppStore((state) => state.domains);
  const status = useAppStore((state) => state.domainsStatus);
  const error = useAppStore((state) => state.domainsError);
  const fetchDomains = useAppStore((state) => state.fetchDomains);
  const setActiveDomain = useAppStore((state) => state.setActiveDomain);
  const active = useActiveDomain();

  if (status === 'idle' || status === 'loading') {
    return (
      <div role="status" aria-label="Loading domains">
        <Skeleton className="h-9 bg-sidebar-accent" />
      </div>
    );
  }

  if (status === 'error') {
    return (
      <div className="rounded-lg border border-destructive/30 bg-destructive/5 px-3 py-2.5 text-sm">
        <p className="text-destructive">Couldn't load your domains</p>
        {error && <p className="mt-0.5 text-xs text-muted-foreground">{error.message}</p>}
        <Button variant="outline" size="sm" className="mt-2" onClick={() => void fetchDomains()}>
          <RotateCw aria-hidden />
          Retry
        </Button>
      </div>
    );
  }

  if (domains.length === 0) {
    return (
      <div className="rounded-lg border border-dashed border-sidebar-border px-3 py-2.5 text-sm">
        <p className="text-muted-foreground">No domains connected yet</p>
        <Link
          to="/onboarding"
          onClick={onNavigate}
          className="mt-1 inline-flex items-center gap-1 rounded-sm font-medium underline-offset-4 outline-none hover:underline focus-visible:ring-[3px] focus-visible:ring-ring/50"
        >
          Connect a domain
          <ArrowRight className="size-3.5" aria-hidden />
        </Link>
      </div>
    );
  }

  return (
    <Select value={active?.id ?? ''} onValueChange={(id) => void setActiveDomain(id)}>
      <SelectTrigger aria-labelledby={labelledBy} className="bg-background">
        <SelectValue placeholder="Choose a domain">{active?.tenant_name}</SelectValue>
      </SelectTrigger>
      <SelectContent>
        {domains.map((domain) => (
          <SelectItem key={domain.id} value={domain.id} description={domain.tenant_id}>
            {domain.tenant_name}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
