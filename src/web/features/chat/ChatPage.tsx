import { MessageSquare } from 'lucide-react';
import { PageHeader } from '@/components/page-header';
import { EmptyState } from '@/components/ui/empty-state';
import { ConnectDomainLink } from '@/features/connections/ConnectDomainLink';

export function ChatPage() {
  return (
    <>
      <PageHeader title="Chat" description="Ask questions of your CommCare data in plain language." />
      <EmptyState
        icon={MessageSquare}
        title="Connect a CommCare domain to start asking questions"
        description="Scout answers from a private copy of your project's cases and forms. Connect a domain, and once its data has loaded you can ask things like “How many new cases were registered last month?”"
        action={<ConnectDomainLink />}
      />
    </>
  );
}
