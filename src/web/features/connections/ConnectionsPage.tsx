import { Link2 } from 'lucide-react';
import { PageHeader } from '@/components/page-header';
import { EmptyState } from '@/components/ui/empty-state';

export function ConnectionsPage() {
  return (
    <>
      <PageHeader title="Connections" description="The CommCare project spaces (domains) Scout can read from." />
      <EmptyState
        icon={Link2}
        title="Connect your first domain"
        description="Connect a CommCare project space with an API key or by signing in with CommCare HQ. Scout then copies its cases and forms into a private database that only members of that domain can query."
      />
    </>
  );
}
