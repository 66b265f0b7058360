import type { McpOAuthClientSummary } from '@shared/mcp';
import { AppWindow } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { mcpApi } from '@/api/mcp';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { LoadErrorAlert } from '@/components/load-error-alert';
import { SkeletonList } from '@/components/skeleton-list';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import type { Resource } from '@/lib/use-resource';
import { formatDate } from '../connections/format';

/** The MCP clients the user allowed through OAuth, each with what it may use and a way to cut it off. */
export function ConnectedAppList({ clients, serverUrl }: { clients: Resource<McpOAuthClientSummary[]>; serverUrl: string }) {
  const [revoking, setRevoking] = useState<McpOAuthClientSummary | null>(null);

  if (clients.status === 'loading') return <SkeletonList label="Loading your connected apps" count={1} itemClassName="h-16" />;
  if (clients.status === 'error') {
    return <LoadErrorAlert title="Couldn't load your connected apps" error={clients.error} onRetry={() => void clients.reload()} />;
  }
  if (clients.data.length === 0) {
    return (
      <EmptyState
        icon={AppWindow}
        title="No connected apps"
        description={
          <>
            Apps that sign in with OAuth, like Claude.ai or ChatGPT, appear here. Adding <code className="font-mono break-words text-foreground">{serverUrl}</code> in such an app needs only
            a sign-in to Scout.
          </>
        }
      />
    );
  }

  async function revoke(client: McpOAuthClientSummary) {
    await mcpApi.revokeClient(client.client_id);
    await clients.reload();
    toast.success(`Revoked ${client.name}`);
  }

  return (
    <>
      <ul className="grid gap-2" aria-label="Connected apps">
        {clients.data.map((client) => (
          <li key={client.client_id}>
            <Card className="flex-row flex-wrap items-center justify-between gap-3 px-4 py-3">
              <div className="grid min-w-0 gap-1">
                <span className="flex flex-wrap items-center gap-2">
                  <span className="font-medium break-words">{client.name}</span>
                  {client.may_sync && <Badge variant="outline">May start syncs</Badge>}
                </span>
                <span className="text-sm break-words text-muted-foreground">
                  {client.domains.length === 0 ? (
                    'No domains any more'
                  ) : (
                    <>
                      {client.domains.length === 1 ? 'Domain' : 'Domains'}{' '}
                      {client.domains.map((domain, index) => (
                        <span key={domain.membership_id}>
                          {index > 0 && ', '}
                          <code className="font-mono">{domain.domain}</code>
                        </span>
                      ))}
                    </>
                  )}
                  {client.redirect_host && <> · returns to {client.redirect_host}</>}
                </span>
                <span className="text-sm text-muted-foreground">
                  Connected {formatDate(client.created_at)} ·{' '}
                  {client.last_used_at ? <span title={formatDate(client.last_used_at, true)}>last used {formatDate(client.last_used_at)}</span> : 'never used'}
                </span>
              </div>
              <Button variant="outline" size="sm" onClick={() => setRevoking(client)} aria-label={`Revoke ${client.name}`}>
                Revoke
              </Button>
            </Card>
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => !open && setRevoking(null)}
        title={`Revoke “${revoking?.name ?? ''}”?`}
        description="It loses access at once: its next request to Scout is refused. To use it again, add Scout in the app again and allow it."
        confirmLabel="Revoke access"
        destructive
        onConfirm={() => (revoking ? revoke(revoking) : Promise.resolve())}
      />
    </>
  );
}
