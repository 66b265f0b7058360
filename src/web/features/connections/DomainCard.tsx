import type { HqServer, TenantCredentialSummary } from '@shared/tenants';
import { Pencil, Trash2 } from 'lucide-react';
import { useId, useRef, useState } from 'react';
import { toast } from 'sonner';
import { isApiError } from '@/api/client';
import { tenantsApi } from '@/api/tenants';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { RemovalConsequences } from './RemovalConsequences';
import { EditDomainForm } from './EditDomainForm';
import { serverName } from './format';
import { VerificationBadge } from './VerificationBadge';

interface DomainCardProps {
  connection: TenantCredentialSummary;
  servers: readonly HqServer[] | undefined;
  active: boolean;
  /** Reloads what depends on this domain after it changed or went away. */
  onChanged: () => Promise<void>;
}

/** One domain connected with an API key: what it is, whether its key works, and Edit / Remove. */
export function DomainCard({ connection, servers, active, onChanged }: DomainCardProps) {
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const name = connection.tenant_name;

  function closeEditor() {
    setEditing(false);
    // The form that had focus is gone; put it back where the user started.
    requestAnimationFrame(() => editButton.current?.focus());
  }

  async function saved(updated: TenantCredentialSummary) {
    await onChanged();
    closeEditor();
    toast.success(`Saved ${updated.tenant_name}`);
  }

  async function remove() {
    try {
      await tenantsApi.removeDomain(connection.membership_id);
    } catch (error) {
      // Already gone (removed in another tab): the outcome the user asked for.
      if (!(isApiError(error) && error.status === 404)) throw error;
    }
    await onChanged();
    toast.success(`Removed ${name}`);
  }

  return (
    <Card className="gap-4 py-5" aria-labelledby={titleId} role="group">
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2 px-5">
        <div className="grid min-w-0 gap-1">
          <div className="flex flex-wrap items-center gap-2">
            <h3 id={titleId} className="min-w-0 font-semibold break-words">
              {name}
            </h3>
            {active && <Badge variant="secondary">Active</Badge>}
            {connection.demo && <Badge variant="outline">Demo data</Badge>}
          </div>
          <p className="text-sm break-words text-muted-foreground">
            <span className="font-mono text-foreground/80">{connection.tenant_id}</span>
            <span aria-hidden> · </span>
            <span className="sr-only">on </span>
            {serverName(connection.hq_base_url, servers)}
          </p>
        </div>
        <VerificationBadge connection={connection} />
      </div>
      {connection.last_error && (
        <p className="px-5 text-sm text-destructive">
          {connection.last_error} Enter a new username and API key with Edit.
        </p>
      )}
      {editing ? (
        <div className="border-t px-5 pt-5">
          <EditDomainForm connection={connection} onSaved={saved} onCancel={closeEditor} />
        </div>
      ) : (
        <div className="flex flex-wrap gap-2 px-5">
          <Button ref={editButton} variant="outline" size="sm" onClick={() => setEditing(true)}>
            <Pencil aria-hidden />
            Edit<span className="sr-only"> {name}</span>
          </Button>
          <Button variant="ghost" size="sm" className="text-destructive hover:bg-destructive/10 hover:text-destructive" onClick={() => setRemoving(true)}>
            <Trash2 aria-hidden />
            Remove<span className="sr-only"> {name}</span>
          </Button>
        </div>
      )}
      <ConfirmDialog
        open={removing}
        onOpenChange={setRemoving}
        destructive
        title={`Remove ${name}?`}
        description={
          <>
            Scout deletes your API key for <strong className="font-medium text-foreground">{connection.tenant_id}</strong> and you
            can no longer ask questions of it. You can connect it again at any time.
          </>
        }
        details={<RemovalConsequences />}
        confirmLabel="Remove domain"
        onConfirm={remove}
      />
    </Card>
  );
}
