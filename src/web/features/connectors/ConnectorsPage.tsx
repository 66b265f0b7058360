import { Plug } from 'lucide-react';
import { PageHeader } from '@/components/page-header';
import { EmptyState } from '@/components/ui/empty-state';
import { ConnectDomainLink } from '@/features/connections/ConnectDomainLink';

export function ConnectorsPage() {
  return (
    <>
      <PageHeader
        title="Connectors"
        description="External services such as WordPress, LinkedIn, Medium and X that your domain can publish to."
      />
      <EmptyState
        icon={Plug}
        title="No connectors installed"
        description="Connectors are installed per domain, with their settings and credentials kept encrypted. Connect a CommCare domain first; its connector catalog will then appear here."
        action={<ConnectDomainLink />}
      />
    </>
  );
}
