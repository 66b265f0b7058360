import { Database } from 'lucide-react';
import { PageHeader } from '@/components/page-header';
import { EmptyState } from '@/components/ui/empty-state';
import { ConnectDomainLink } from '@/features/connections/ConnectDomainLink';

export function DataPage() {
  return (
    <>
      <PageHeader title="Data" description="The tables Scout has loaded from your CommCare domains." />
      <EmptyState
        icon={Database}
        title="No data loaded yet"
        description="When you connect a domain, Scout copies its cases and forms into tables here, one per case type and form, so you can see exactly what your questions are answered from."
        action={<ConnectDomainLink />}
      />
    </>
  );
}
