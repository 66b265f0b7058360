import type { OAuthProviderSummary, TenantCredentialSummary } from '@shared/tenants';
import { LoadErrorAlert } from '@/components/load-error-alert';
import { CircleAlert, CircleCheck, LogIn, Unlink } from 'lucide-react';
import { useId, useState } from 'react';
import { toast } from 'sonner';
import { tenantsApi } from '@/api/tenants';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import type { Resource } from '@/lib/use-resource';

interface OAuthProvidersSectionProps {
  providers: Resource<OAuthProviderSummary[]>;
  /** Every connection; the ones made through a provider are listed under it. */
  connections: TenantCredentialSummary[];
  onChanged: () => Promise<void>;
}

/** "OAuth providers": sign in with CommCare, and every domain of that account is connected. */
export function OAuthProvidersSection({ providers, connections, onChanged }: OAuthProvidersSectionProps) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="grid gap-4">
      <div className="grid gap-1">
        <h2 id={headingId} className="text-lg font-semibold tracking-tight">
          OAuth providers
        </h2>
        <p className="text-sm text-muted-foreground">
          Connect your CommCare account and Scout adds every domain you are a member of, keeping the list up to date.
        </p>
      </div>

      {providers.status === 'loading' && (
        <div role="status" aria-label="Loading OAuth providers">
          <Skeleton className="h-20 rounded-xl" />
        </div>
      )}

      {providers.status === 'error' && (
        <LoadErrorAlert title="Couldn't load OAuth providers" error={providers.error} onRetry={() => void providers.reload()} />
      )}

      {/* Whoever runs Scout sets providers up in its environment (README), not in this app: nobody here can act on setup steps. */}
      {providers.status === 'ready' && providers.data.length === 0 && (
        <p className="rounded-xl border border-dashed border-foreground/15 px-5 py-4 text-sm text-muted-foreground">
          Signing in with CommCare isn't available on this Scout. Connect domains with an API key above.
        </p>
      )}

      {providers.status === 'ready' && providers.data.length > 0 && (
        <ul className="grid gap-3" aria-label="OAuth providers">
          {providers.data.map((provider) => (
            <li key={provider.id}>
              <ProviderCard
                provider={provider}
                connections={connections.filter((c) => c.credential_type === 'oauth' && c.provider === provider.id)}
                onChanged={async () => {
                  await Promise.all([providers.reload(), onChanged()]);
                }}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

interface ProviderCardProps {
  provider: OAuthProviderSummary;
  connections: TenantCredentialSummary[];
  onChanged: () => Promise<void>;
}

function ProviderCard({ provider, connections, onChanged }: ProviderCardProps) {
  const [disconnecting, setDisconnecting] = useState(false);
  const titleId = useId();
  const failing = connections.filter((c) => c.last_error);
  const needsReconnect = provider.connected && failing.length > 0;

  async function disconnect() {
    await tenantsApi.disconnectProvider(provider.id);
    await onChanged();
    toast.success(`Disconnected ${provider.name}`);
  }

  return (
    <Card className="gap-3 py-5" role="group" aria-labelledby={titleId}>
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-3 px-5">
        <div className="grid min-w-0 gap-1">
          <div className="flex flex-wrap items-center gap-2">
            <h3 id={titleId} className="font-semibold">
              {provider.name}
            </h3>
            {needsReconnect ? (
              <Badge variant="destructive">
                <CircleAlert aria-hidden />
                Reconnect needed
              </Badge>
            ) : provider.connected ? (
              <Badge variant="success">
                <CircleCheck aria-hidden />
                Connected
              </Badge>
            ) : (
              <Badge variant="outline">Not connected</Badge>
            )}
          </div>
          <p className="text-sm text-muted-foreground">
            {provider.connected
              ? connections.length === 0
                ? 'No domains found for this account yet.'
                : `${connections.length} ${connections.length === 1 ? 'domain' : 'domains'}: ${connections.map((c) => c.tenant_name).join(', ')}`
              : 'Sign in with your account to connect all of its domains.'}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          {(!provider.connected || needsReconnect) && (
            <Button asChild variant={needsReconnect ? 'default' : 'outline'} size="sm">
              <a href={provider.login_url}>
                <LogIn aria-hidden />
                {needsReconnect ? 'Reconnect' : 'Connect'}
                <span className="sr-only"> {provider.name}</span>
              </a>
            </Button>
          )}
          {provider.connected && (
            <Button variant="ghost" size="sm" onClick={() => setDisconnecting(true)}>
              <Unlink aria-hidden />
              Disconnect<span className="sr-only"> {provider.name}</span>
            </Button>
          )}
        </div>
      </div>
      {needsReconnect && (
        <ul className="grid gap-1 px-5 text-sm text-destructive">
          {failing.map((c) => (
            <li key={c.membership_id}>
              {c.tenant_name}: {c.last_error}
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={disconnecting}
        onOpenChange={setDisconnecting}
        destructive
        title={`Disconnect ${provider.name}?`}
        description="Scout forgets this account's sign-in and stops reading the domains it connected. You can connect it again at any time."
        confirmLabel="Disconnect"
        onConfirm={disconnect}
      />
    </Card>
  );
}
