import type { HqServer, TenantCredentialSummary } from '@shared/tenants';
import { LoadErrorAlert } from '@/components/load-error-alert';
import { KeyRound, Plus } from 'lucide-react';
import { useId, useRef, useState } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Skeleton } from '@/components/ui/skeleton';
import type { Resource } from '@/lib/use-resource';
import { AddDomainForm } from './AddDomainForm';
import { DomainCard } from './DomainCard';
import { useConnectDemo } from './use-connect-demo';

interface ApiKeyDomainsSectionProps {
  connections: Resource<TenantCredentialSummary[]>;
  servers: readonly HqServer[] | undefined;
  demoAvailable: boolean;
  activeDomainId: string | null;
  onChanged: () => Promise<void>;
}

/** "CommCare domains (API key)": the domains connected with a key, and the way to add one. */
export function ApiKeyDomainsSection({ connections, servers, demoAvailable, activeDomainId, onChanged }: ApiKeyDomainsSectionProps) {
  const headingId = useId();
  const [adding, setAdding] = useState(false);
  const addButton = useRef<HTMLButtonElement>(null);
  const demo = useConnectDemo(async (connection) => {
    await onChanged();
    toast.success(`Connected ${connection.tenant_name}`);
  });

  const apiKeyConnections = connections.data?.filter((c) => c.credential_type === 'api_key') ?? [];
  const empty = connections.status === 'ready' && apiKeyConnections.length === 0;

  function closeForm() {
    setAdding(false);
    requestAnimationFrame(() => addButton.current?.focus());
  }

  async function connected(connection: TenantCredentialSummary) {
    await onChanged();
    closeForm();
    toast.success(`Connected ${connection.tenant_name}`);
  }

  return (
    <section aria-labelledby={headingId} className="grid gap-4">
      <div className="flex flex-wrap items-end justify-between gap-x-4 gap-y-3">
        <div className="grid gap-1">
          <h2 id={headingId} className="text-lg font-semibold tracking-tight">
            CommCare domains (API key)
          </h2>
          <p className="text-sm text-muted-foreground">Project spaces Scout reads with your CommCare username and API key.</p>
        </div>
        {connections.status === 'ready' && !empty && !adding && (
          <Button ref={addButton} onClick={() => setAdding(true)}>
            <Plus aria-hidden />
            Add domain
          </Button>
        )}
      </div>

      {adding && (
        <Card className="gap-5">
          <CardHeader className="px-4 sm:px-6">
            <h3 className="font-semibold">Add a CommCare domain</h3>
            <CardDescription>Checking the key with CommCare can take a few seconds.</CardDescription>
          </CardHeader>
          <CardContent className="px-4 sm:px-6">
            <AddDomainForm autoFocus onConnected={connected} onCancel={closeForm} />
          </CardContent>
        </Card>
      )}

      {connections.status === 'loading' && <DomainCardsSkeleton />}

      {connections.status === 'error' && (
        <LoadErrorAlert title="Couldn't load your domains" error={connections.error} onRetry={() => void connections.reload()} />
      )}

      {empty && !adding && (
        <EmptyState
          icon={KeyRound}
          title="No domains connected with an API key"
          description="Add a CommCare project space with your username and an API key from CommCare (Settings → My Account → API Keys)."
          action={
            <>
              <Button ref={addButton} onClick={() => setAdding(true)}>
                <Plus aria-hidden />
                Add domain
              </Button>
              {demoAvailable && (
                <Button variant="outline" loading={demo.connecting} onClick={() => void demo.connect()}>
                  Try with demo data
                </Button>
              )}
            </>
          }
        />
      )}

      {apiKeyConnections.length > 0 && (
        <ul className="grid gap-3" aria-label="Domains connected with an API key">
          {apiKeyConnections.map((connection) => (
            <li key={connection.membership_id}>
              <DomainCard
                connection={connection}
                servers={servers}
                active={connection.membership_id === activeDomainId}
                onChanged={onChanged}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function DomainCardsSkeleton() {
  return (
    <div role="status" aria-label="Loading your domains" className="grid gap-3">
      {[0, 1].map((index) => (
        <Card key={index} className="gap-4 py-5">
          <div className="flex justify-between gap-4 px-5">
            <div className="grid gap-2">
              <Skeleton className="h-5 w-40" />
              <Skeleton className="h-4 w-56" />
            </div>
            <Skeleton className="h-5 w-28" />
          </div>
          <div className="flex gap-2 px-5">
            <Skeleton className="h-8 w-16" />
            <Skeleton className="h-8 w-20" />
          </div>
        </Card>
      ))}
    </div>
  );
}
