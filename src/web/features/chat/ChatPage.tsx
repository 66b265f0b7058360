import type { TenantSummary } from '@shared/tenants';
import { CloudOff, MessageSquare } from 'lucide-react';
import { PageHeader } from '@/components/page-header';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Skeleton } from '@/components/ui/skeleton';
import { ConnectDomainLink } from '@/features/connections/ConnectDomainLink';
import { SelectDomainPrompt } from '@/features/shell/SelectDomainPrompt';
import { useActiveDomain } from '@/store/active-domain';
import { useAppStore } from '@/store/app-store';

export function ChatPage() {
  return (
    <>
      <PageHeader title="Chat" description="Ask questions of your CommCare data in plain language." />
      <ChatBody />
    </>
  );
}

function ChatBody() {
  const status = useAppStore((state) => state.domainsStatus);
  const error = useAppStore((state) => state.domainsError);
  const domains = useAppStore((state) => state.domains);
  const fetchDomains = useAppStore((state) => state.fetchDomains);
  const active = useActiveDomain();

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
    return (
      <EmptyState
        icon={MessageSquare}
        title="Connect a CommCare domain to start asking questions"
        description="Scout answers from a private copy of your project's cases and forms. Connect a domain, and once its data has loaded you can ask things like “How many new cases were registered last month?”"
        action={<ConnectDomainLink />}
      />
    );
  }

  if (!active) {
    return (
      <SelectDomainPrompt
        domains={domains}
        title="Select a domain to start chatting"
        purpose="Choose the CommCare project you want to ask about."
      />
    );
  }

  // Keyed on the domain: switching domain in the sidebar starts a fresh thread,
  // so no answer about one project is ever shown as if it were about another.
  // (Outside React, `onActiveDomainChange` in store/active-domain.ts does the same.)
  return <ChatThread key={active.id} domain={active} />;
}

/** Where the conversation about one domain will be; one instance per domain (see the key above). */
function ChatThread({ domain }: { domain: TenantSummary }) {
  return (
    <EmptyState
      icon={MessageSquare}
      title={`Ask about ${domain.tenant_name}`}
      description="Once this domain's cases and forms have loaded, you can ask things like “How many new cases were registered last month?”"
    />
  );
}
