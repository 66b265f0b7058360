import { useCallback } from 'react';
import { tenantsApi } from '@/api/tenants';
import { PageHeader } from '@/components/page-header';
import { useResource } from '@/lib/use-resource';
import { useAppStore } from '@/store/app-store';
import { ApiKeyDomainsSection } from './ApiKeyDomainsSection';
import { OAuthProvidersSection } from './OAuthProvidersSection';
import { useHqServers } from './use-hq-servers';

const loadConnections = (signal: AbortSignal) => tenantsApi.listCredentials({ signal });
const loadProviders = (signal: AbortSignal) => tenantsApi.listProviders({ signal });

/** Settings → Connections: the CommCare domains Scout reads, and how each is connected. */
export function ConnectionsPage() {
  const connections = useResource(loadConnections);
  const providers = useResource(loadProviders);
  const servers = useHqServers();
  const activeDomainId = useAppStore((state) => state.activeDomainId);
  const fetchDomains = useAppStore((state) => state.fetchDomains);

  const { reload: reloadConnections } = connections;
  // The sidebar's selector lists the same domains: keep both in step after every change.
  const changed = useCallback(async () => {
    await Promise.all([reloadConnections(), fetchDomains()]);
  }, [reloadConnections, fetchDomains]);

  return (
    <>
      <PageHeader title="Connections" description="The CommCare project spaces (domains) Scout can read from, and how each is connected." />
      <div className="grid gap-12">
        <ApiKeyDomainsSection
          connections={connections}
          servers={servers.data?.servers}
          demoAvailable={servers.data?.demo_available ?? false}
          activeDomainId={activeDomainId}
          onChanged={changed}
        />
        <OAuthProvidersSection providers={providers} connections={connections.data ?? []} onChanged={changed} />
      </div>
    </>
  );
}
