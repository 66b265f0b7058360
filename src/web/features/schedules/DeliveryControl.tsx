import type { ScheduleDelivery } from '@shared/publications';
import { Megaphone, TriangleAlert } from 'lucide-react';
import { useCallback, useId, useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { asApiError, type ApiError } from '@/api/client';
import { connectorsApi } from '@/api/connectors';
import { scheduleDeliveryApi, type DeliveryOwner } from '@/api/publications';
import { FormErrorAlert } from '@/components/form-error-alert';
import { LoadErrorAlert } from '@/components/load-error-alert';
import { SelectField } from '@/components/select-field';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { SelectItem } from '@/components/ui/select';
import { Skeleton } from '@/components/ui/skeleton';
import { targetTypeName } from '@/features/publications/PreviewFrame';
import { useResource } from '@/lib/use-resource';

interface DeliveryControlProps {
  membershipId: string;
  owner: DeliveryOwner;
  /** May change the schedule (and so its delivery). */
  canEdit: boolean;
  /** May let it publish without approval (the domain's owner). */
  canAutoPublish: boolean;
}

/** Where each scheduled run goes as a publication (waiting for approval, or, if the owner said so, published at once). */
export function DeliveryControl({ membershipId, owner, canEdit, canAutoPublish }: DeliveryControlProps) {
  const delivery = useResource(useCallback((signal: AbortSignal) => scheduleDeliveryApi.get(membershipId, owner, { signal }), [membershipId, owner]));
  const targets = useResource(useCallback((signal: AbortSignal) => connectorsApi.publishTargets(membershipId, { signal }), [membershipId]));
  const [current, setCurrent] = useState<ScheduleDelivery | null | undefined>(undefined);
  const [open, setOpen] = useState(false);
  const value = current !== undefined ? current : delivery.data;

  if (delivery.status === 'loading') return <Skeleton className="h-5 w-48" />;
  // Not worth a page alert: the schedule above still says what it does.
  if (delivery.status === 'error') return <p className="text-xs text-muted-foreground">Couldn't load where its runs are delivered: {delivery.error.message}</p>;
  const target = value ? targets.data?.find((t) => t.id === value.connector_id) : undefined;
  return (
    <div className="grid gap-1" role="group" aria-label="Delivery">
      <div className="flex flex-wrap items-center gap-2">
        <Megaphone aria-hidden className="size-4 text-muted-foreground" />
        {value ? (
          <>
            <span>Each run is delivered to {target ? target.name : 'a connector that is no longer active'}</span>
            {value.auto_publish ? <Badge variant="destructive">Published without approval</Badge> : <Badge variant="secondary">Waits for approval</Badge>}
          </>
        ) : (
          <span className="text-muted-foreground">Runs are not delivered anywhere</span>
        )}
        {canEdit && (
          <Button variant="outline" size="sm" onClick={() => setOpen(true)}>
            {value ? 'Change delivery' : 'Deliver runs'}
          </Button>
        )}
      </div>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent>
          {open && (
            <DeliveryForm
              membershipId={membershipId}
              owner={owner}
              delivery={value ?? null}
              targets={targets}
              canAutoPublish={canAutoPublish}
              onDone={(next) => {
                setCurrent(next);
                setOpen(false);
              }}
              onCancel={() => setOpen(false)}
            />
          )}
        </DialogContent>
      </Dialog>
    </div>
  );
}

function DeliveryForm({
  membershipId,
  owner,
  delivery,
  targets,
  canAutoPublish,
  onDone,
  onCancel,
}: {
  membershipId: string;
  owner: DeliveryOwner;
  delivery: ScheduleDelivery | null;
  targets: ReturnType<typeof useResource<Awaited<ReturnType<typeof connectorsApi.publishTargets>>>>;
  canAutoPublish: boolean;
  onDone: (delivery: ScheduleDelivery | null) => void;
  onCancel: () => void;
}) {
  const [connectorId, setConnectorId] = useState(delivery?.connector_id ?? '');
  const [auto, setAuto] = useState(delivery?.auto_publish ?? false);
  const [busy, setBusy] = useState<'save' | 'remove' | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const autoId = useId();
  const warningId = useId();
  const chosen = targets.data?.find((t) => t.id === connectorId) ?? (delivery ? undefined : targets.data?.[0]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!chosen) return;
    setBusy('save');
    setError(null);
    try {
      const saved = await scheduleDeliveryApi.set(membershipId, owner, { connector_id: chosen.id, auto_publish: auto });
      toast.success(saved.auto_publish ? `Each run is published to ${chosen.name} without approval` : `Each run goes to ${chosen.name}, waiting for approval`);
      onDone(saved);
    } catch (caught) {
      setError(asApiError(caught));
      setBusy(null);
    }
  }

  async function remove() {
    setBusy('remove');
    setError(null);
    try {
      await scheduleDeliveryApi.remove(membershipId, owner);
      toast.success('Runs are no longer delivered');
      onDone(null);
    } catch (caught) {
      setError(asApiError(caught));
      setBusy(null);
    }
  }

  return (
    <form noValidate onSubmit={(event) => void submit(event)} className="grid gap-4">
      <DialogHeader>
        <DialogTitle>Deliver each run</DialogTitle>
        <DialogDescription>Each scheduled run becomes a publication, with its chart and first rows, on the Publications page.</DialogDescription>
      </DialogHeader>
      {targets.status === 'loading' && <Skeleton className="h-16 rounded-md" />}
      {targets.status === 'error' && <LoadErrorAlert title="Couldn't load where to deliver" error={targets.error} onRetry={() => void targets.reload()} />}
      {targets.status === 'ready' && targets.data.length === 0 && (
        <p className="rounded-md border border-dashed p-4 text-sm text-muted-foreground">No connector can publish yet: an owner or admin adds and activates one on the Connectors page.</p>
      )}
      {targets.status === 'ready' && targets.data.length > 0 && (
        <>
          <SelectField label="Deliver each run to" value={chosen?.id ?? ''} onValueChange={setConnectorId} placeholder="Choose a connector">
            {targets.data.map((target) => (
              <SelectItem key={target.id} value={target.id}>
                {target.name} ({targetTypeName(target.catalog_key)})
              </SelectItem>
            ))}
          </SelectField>
          <div className="grid gap-1.5 rounded-md border border-amber-500/40 bg-amber-50 p-3 dark:bg-amber-400/10">
            <label htmlFor={autoId} className="flex items-start gap-2 text-sm font-medium">
              <input
                id={autoId}
                type="checkbox"
                checked={auto}
                disabled={!canAutoPublish && !auto}
                onChange={(event) => setAuto(event.target.checked)}
                aria-describedby={warningId}
                className="mt-0.5 size-4 accent-destructive"
              />
              Publish each run without approval
            </label>
            <p id={warningId} className="flex items-start gap-1.5 text-xs text-amber-800 dark:text-amber-300">
              <TriangleAlert aria-hidden className="mt-0.5 size-3.5 shrink-0" />
              <span>
                Posts every run without anyone approving it, whatever the data says that day.
                {!canAutoPublish && " Only the domain's owner can turn this on."}
              </span>
            </p>
          </div>
        </>
      )}
      {error && <FormErrorAlert error={error} />}
      <DialogFooter className="sm:justify-between">
        {delivery ? (
          <Button variant="ghost" className="text-destructive" onClick={() => void remove()} loading={busy === 'remove'} disabled={busy !== null}>
            Stop delivering
          </Button>
        ) : (
          <span />
        )}
        <div className="flex flex-col-reverse gap-2 sm:flex-row">
          <Button variant="outline" onClick={onCancel} disabled={busy !== null}>
            Cancel
          </Button>
          <Button type="submit" loading={busy === 'save'} disabled={busy !== null || !chosen}>
            Save delivery
          </Button>
        </div>
      </DialogFooter>
    </form>
  );
}
