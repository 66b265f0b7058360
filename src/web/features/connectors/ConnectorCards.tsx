import type { CatalogEntry, ConnectorSummary } from '@shared/connectors';
import { secretFields } from '@shared/connectors';
import { Power, PowerOff, Settings2, Trash2 } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { toast } from 'sonner';
import { asApiError } from '@/api/client';
import { connectorsApi } from '@/api/connectors';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { LinkedMessage } from '@/components/linked-message';
import { ConnectorIcon } from './ConnectorIcon';

const STATUS: Record<ConnectorSummary['status'], { label: string; variant: 'success' | 'secondary' | 'destructive' }> = {
  active: { label: 'Active', variant: 'success' },
  inactive: { label: 'Inactive', variant: 'secondary' },
  error: { label: 'Error', variant: 'destructive' },
};

/** A card's top row: the type's icon, a title and subtitle, and a status badge. */
function CardHeading({ entry, title, subtitle, badge }: { entry: CatalogEntry; title: string; subtitle: string; badge: ReactNode }) {
  return (
    <div className="flex items-start gap-3">
      <ConnectorIcon icon={entry.icon} name={entry.name} />
      <div className="min-w-0 flex-1">
        <h3 className="truncate font-semibold">{title}</h3>
        <p className="text-xs text-muted-foreground">{subtitle}</p>
      </div>
      {badge}
    </div>
  );
}

export function CatalogCard({ entry, installedCount, canManage, onAdd }: { entry: CatalogEntry; installedCount: number; canManage: boolean; onAdd: () => void }) {
  return (
    <li>
      <Card className="h-full gap-3 p-4" role="group" aria-label={entry.name}>
        <CardHeading
          entry={entry}
          title={entry.name}
          subtitle={entry.category}
          badge={entry.deprecated ? <Badge variant="destructive">Deprecated</Badge> : installedCount > 0 && <Badge variant="secondary">{installedCount} installed</Badge>}
        />
        <p className="flex-1 text-sm text-muted-foreground">{entry.description}</p>
        {entry.deprecated && entry.deprecation_reason && <p className="text-xs text-amber-700 dark:text-amber-400">{entry.deprecation_reason}</p>}
        {canManage && (
          <Button variant="outline" size="sm" className="justify-self-start" onClick={onAdd}>
            Add {entry.name}
          </Button>
        )}
      </Card>
    </li>
  );
}

interface InstalledCardProps {
  connector: ConnectorSummary;
  entry: CatalogEntry;
  membershipId: string;
  canManage: boolean;
  onConfigure: () => void;
  onChanged: () => void;
}

export function InstalledCard({ connector, entry, membershipId, canManage, onConfigure, onChanged }: InstalledCardProps) {
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState<'delete' | 'missing' | null>(null);
  const status = STATUS[connector.status];
  const missing = (entry.auth_schema.required ?? []).filter((f) => !(connector.secrets[f]?.set ?? f in connector.auth));
  const secretCount = secretFields(entry.auth_schema).filter((f) => connector.secrets[f]?.set).length;

  async function setStatus(next: 'active' | 'inactive') {
    setBusy(true);
    try {
      await connectorsApi.update(membershipId, connector.id, { status: next });
      toast.success(next === 'active' ? `${connector.name} is active` : `${connector.name} is inactive`);
      onChanged();
    } catch (error) {
      toast.error(`Couldn't ${next === 'active' ? 'activate' : 'deactivate'} ${connector.name}: ${asApiError(error).message}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <li>
      <Card className="h-full gap-3 p-4" role="group" aria-label={connector.name}>
        <CardHeading entry={entry} title={connector.name} subtitle={`${entry.name} · ${entry.category}`} badge={<Badge variant={status.variant}>{status.label}</Badge>} />
        <p className="text-sm text-muted-foreground">
          {connector.auth_configured ? `Credentials configured${secretCount ? ` (${secretCount} secret${secretCount === 1 ? '' : 's'})` : ''}` : `Missing: ${missing.map((f) => entry.auth_schema.properties[f]?.title ?? f).join(', ')}`}
        </p>
        {connector.last_error && (
          <p className="text-sm text-destructive">
            <LinkedMessage text={connector.last_error} />
          </p>
        )}
        {connector.tags.length > 0 && (
          <ul className="flex flex-wrap gap-1" aria-label="Tags">
            {connector.tags.map((tag) => (
              <li key={tag}>
                <Badge variant="outline">{tag}</Badge>
              </li>
            ))}
          </ul>
        )}
        <div className="mt-auto flex flex-wrap gap-2">
          <Button variant="outline" size="sm" onClick={onConfigure}>
            <Settings2 aria-hidden />
            {canManage ? 'Configure' : 'View'}
          </Button>
          {canManage &&
            (connector.status === 'active' ? (
              <Button variant="outline" size="sm" loading={busy} onClick={() => void setStatus('inactive')}>
                {!busy && <PowerOff aria-hidden />}
                Deactivate
              </Button>
            ) : (
              <Button size="sm" loading={busy} onClick={() => (connector.auth_configured ? void setStatus('active') : setConfirm('missing'))}>
                {!busy && <Power aria-hidden />}
                Activate
              </Button>
            ))}
          {canManage && (
            <Button variant="ghost" size="sm" className="text-destructive hover:text-destructive" onClick={() => setConfirm('delete')} aria-label={`Delete ${connector.name}`}>
              <Trash2 aria-hidden />
              Delete
            </Button>
          )}
        </div>
      </Card>
      <ConfirmDialog
        open={confirm === 'delete'}
        onOpenChange={(open) => !open && setConfirm(null)}
        title={`Delete ${connector.name}?`}
        description="Its settings and stored credentials are removed for good. Features publishing through it will stop finding it."
        confirmLabel="Delete connector"
        destructive
        onConfirm={async () => {
          await connectorsApi.remove(membershipId, connector.id);
          toast.success(`Deleted ${connector.name}`);
          onChanged();
        }}
      />
      <ConfirmDialog
        open={confirm === 'missing'}
        onOpenChange={(open) => !open && setConfirm(null)}
        title="Credentials are missing"
        description={`${connector.name} can't be activated until these are set: ${missing.map((f) => entry.auth_schema.properties[f]?.title ?? f).join(', ')}. Configure them now?`}
        confirmLabel="Configure"
        onConfirm={async () => {
          onConfigure();
        }}
      />
    </li>
  );
}
