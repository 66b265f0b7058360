import type { TenantSummary } from '@shared/tenants';
import { MessageSquare } from 'lucide-react';
import { PageHeader } from '@/components/page-header';
import { EmptyState } from '@/components/ui/empty-state';
import { DomainRequired } from '@/features/shell/DomainRequired';
import { useActiveDomain } from '@/store/active-domain';

export function ChatPage() {
  return (
    <>
      <PageHeader title="Chat" description="Ask questions of your CommCare data in plain language." />
      <ChatBody />
    </>
  );
}

function ChatBody() {
  const active = useActiveDomain();
  if (!active) {
    return (
      <DomainRequired
        empty={{
          icon: MessageSquare,
          title: 'Connect a CommCare domain to start asking questions',
          description:
            "Scout answers from a private copy of your project's cases and forms. Connect a domain, and once its data has loaded you can ask things like “How many new cases were registered last month?”",
        }}
        select={{ title: 'Select a domain to start chatting', purpose: 'Choose the CommCare project you want to ask about.' }}
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
