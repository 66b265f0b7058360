import type { McpTokenSummary } from '@shared/mcp';
import { LoadErrorAlert } from '@/components/load-error-alert';
import { KeyRound } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { mcpApi } from '@/api/mcp';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { SkeletonList } from '@/components/skeleton-list';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { useNow } from '@/lib/use-now';
import type { Resource } from '@/lib/use-resource';
import { formatDate } from '../connections/format';

/** The user's tokens, each with a way to revoke it. */
export function TokenList({ tokens, onRevoked }: { tokens: Resource<McpTokenSummary[]>; onRevoked: (token: McpTokenSummary) => Promise<void> }) {
  const [revoking, setRevoking] = useState<McpTokenSummary | null>(null);

  if (tokens.status === 'loading') {
    return (
      <SkeletonList label="Loading your tokens" count={2} itemClassName="h-14" />
    );
  }
  if (tokens.status === 'error') {
    return (
      <LoadErrorAlert title="Couldn't load your tokens" error={tokens.error} onRetry={() => void tokens.reload()} />
    );
  }
  if (tokens.data.length === 0) {
    return <EmptyState icon={KeyRound} title="No tokens yet" description="Create a token above to connect Claude Desktop, Claude Code or another MCP client." />;
  }

  async function revoke(token: McpTokenSummary) {
    await mcpApi.revokeToken(token.id);
    await onRevoked(token);
    toast.success(`Revoked ${token.name}`);
  }

  return (
    <>
      <ul className="grid gap-2" aria-label="Your tokens">
        {tokens.data.map((token) => (
          <li key={token.id}>
            <Card className="flex-row flex-wrap items-center justify-between gap-3 px-4 py-3">
              <div className="grid min-w-0 gap-0.5">
                <span className="font-medium">{token.name}</span>
                <span className="text-sm text-muted-foreground">
                  <code className="font-mono">{token.prefix}…</code> · created {formatDate(token.created_at)} ·{' '}
                  {token.last_used_at ? <span title={formatDate(token.last_used_at, true)}>last used {formatDate(token.last_used_at)}</span> : 'never used'} ·{' '}
                  <Expiry expiresAt={token.expires_at} />
                </span>
              </div>
              <Button variant="outline" size="sm" onClick={() => setRevoking(token)} aria-label={`Revoke ${token.name}`}>
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
        description="MCP clients using this token stop working at once. This can't be undone; create a new token to reconnect them."
        confirmLabel="Revoke token"
        destructive
        onConfirm={() => (revoking ? revoke(revoking) : Promise.resolve())}
      />
    </>
  );
}

function Expiry({ expiresAt }: { expiresAt: string | null }) {
  const now = useNow(60_000);
  if (!expiresAt) return <>never expires</>;
  if (new Date(expiresAt).getTime() <= now) return <span className="font-medium text-destructive">expired {formatDate(expiresAt)}</span>;
  return <span title={formatDate(expiresAt, true)}>expires {formatDate(expiresAt)}</span>;
}
