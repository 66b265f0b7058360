import { CloudOff, type LucideIcon } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Skeleton } from '@/components/ui/skeleton';
import { ConnectDomainLink } from '@/features/connections/ConnectDomainLink';
import { useAppStore } from '@/store/app-store';
import { SelectDomainPrompt } from './SelectDomainPrompt';

interface DomainRequiredProps {
  /** Shown when the user has no domain at all, with a link to connect one. */
  empty: { icon: LucideIcon; title: string; description: string };
  /** Shown when domains exist but none is active. */
  select: { title: string; purpose: string };
}

/**
 * What a page that works on the active domain shows before there is one:
 * the domains loading, failing to load, none connected, or none chosen.
 */
export function DomainRequired({ empty, select }: DomainRequiredProps) {
  const status = useAppStore((state) => state.domainsStatus);
  const error = useAppStore((state) => state.domainsError);
  const domains = useAppStore((state) => state.domains);
  const fetchDomains = useAppStore((state) => state.fetchDomains);

  if (status === 'idle' || status === 'loading') {
    return (
      <div role="status" aria-label="Loading your domains">
        <Skeleton className="h-64 rounded-xl" />
      </div>
    );
  }
  if (status === 'error') {
    return (
      <EmptyState
        icon={CloudOff}
        title="Couldn't load your domains"
        description={error?.message ?? 'Something went wrong. Please try again.'}
        action={<Button onClick={() => void fetchDomains()}>Try again</Button>}
      />
    );
  }
  if (domains.length === 0) {
    return <EmptyState icon={empty.icon} title={empty.title} description={empty.description} action={<ConnectDomainLink />} />;
  }
  return <SelectDomainPrompt domains={domains} title={select.title} purpose={select.purpose} />;
}
