import { SHARE_DAYS_DEFAULT, SHARE_DAYS_MAX, type ShareLink } from '@shared/questions';
import { Link2 } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { asApiError, type ApiError } from '@/api/client';
import { dashboardsApi } from '@/api/dashboards';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { CopyButton } from '@/components/copy-button';
import { FormErrorAlert } from '@/components/form-error-alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { formatDate } from '@/features/connections/format';
import { useNow } from '@/lib/use-now';

interface ShareControlProps {
  membershipId: string;
  dashboardId: string;
  share: ShareLink | null;
  onChange: (share: ShareLink | null) => void;
}

/** A read-only link to the dashboard's last scheduled run, for people without a Scout account: made with an expiry, revoked any time. */
export function ShareControl({ membershipId, dashboardId, share, onChange }: ShareControlProps) {
  const [open, setOpen] = useState(false);
  const [revoking, setRevoking] = useState(false);
  const now = useNow();
  const active = share && new Date(share.expires_at).getTime() > now ? share : null;
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm" role="group" aria-label="Share link">
      <Link2 aria-hidden className="size-4 text-muted-foreground" />
      {active ? (
        <span>
          Shared by link until <time dateTime={active.expires_at}>{formatDate(active.expires_at)}</time>
        </span>
      ) : (
        <span className="text-muted-foreground">Not shared</span>
      )}
      <Button variant="outline" size="sm" onClick={() => setOpen(true)}>
        {active ? 'New link' : 'Share'}
      </Button>
      {active && (
        <Button variant="ghost" size="sm" className="text-destructive" onClick={() => setRevoking(true)}>
          Revoke link
        </Button>
      )}
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent>{open && <ShareForm membershipId={membershipId} dashboardId={dashboardId} replacing={Boolean(active)} onShared={onChange} onClose={() => setOpen(false)} />}</DialogContent>
      </Dialog>
      <ConfirmDialog
        open={revoking}
        onOpenChange={setRevoking}
        title="Revoke the share link?"
        description="Anyone opening it will see that it no longer works. You can make a new one later."
        confirmLabel="Revoke link"
        destructive
        onConfirm={async () => {
          await dashboardsApi.unshare(membershipId, dashboardId);
          onChange(null);
          toast.success('Share link revoked');
        }}
      />
    </div>
  );
}

function ShareForm({ membershipId, dashboardId, replacing, onShared, onClose }: { membershipId: string; dashboardId: string; replacing: boolean; onShared: (share: ShareLink) => void; onClose: () => void }) {
  const [days, setDays] = useState(String(SHARE_DAYS_DEFAULT));
  const [made, setMade] = useState<ShareLink | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [daysError, setDaysError] = useState<string[] | undefined>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const n = Number(days);
    if (!Number.isInteger(n) || n < 1 || n > SHARE_DAYS_MAX) return setDaysError([`A whole number of days, 1 to ${SHARE_DAYS_MAX}`]);
    setDaysError(undefined);
    setBusy(true);
    setError(null);
    try {
      const link = await dashboardsApi.share(membershipId, dashboardId, n);
      setMade(link);
      onShared({ id: link.id, created_at: link.created_at, expires_at: link.expires_at });
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  }

  if (made) {
    return (
      <div className="grid gap-4">
        <DialogHeader>
          <DialogTitle>Share link ready</DialogTitle>
          <DialogDescription>Copy it now: Scout shows it only this once. It works until {formatDate(made.expires_at)}.</DialogDescription>
        </DialogHeader>
        <div className="flex items-center gap-2">
          <Input readOnly value={made.url ?? ''} aria-label="Share link" className="font-mono text-xs md:text-xs" onFocus={(event) => event.target.select()} />
          <CopyButton text={made.url ?? ''} label="Copy the share link" />
        </div>
        <p className="text-xs text-muted-foreground">It shows the results of the dashboard's last scheduled run, read-only; schedule the dashboard to keep them fresh.</p>
        <DialogFooter>
          <Button onClick={onClose}>Done</Button>
        </DialogFooter>
      </div>
    );
  }

  return (
    <form noValidate onSubmit={(event) => void submit(event)} className="grid gap-4">
      <DialogHeader>
        <DialogTitle>Share by link</DialogTitle>
        <DialogDescription>Anyone with the link sees this dashboard's last scheduled results, without signing in.{replacing && ' The link made before stops working.'}</DialogDescription>
      </DialogHeader>
      <FormField label="Expires after (days)" errors={daysError}>
        <Input type="number" min={1} max={SHARE_DAYS_MAX} value={days} onChange={(event) => setDays(event.target.value)} />
      </FormField>
      {error && <FormErrorAlert error={error} />}
      <DialogFooter>
        <Button variant="outline" onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button type="submit" loading={busy}>
          Create link
        </Button>
      </DialogFooter>
    </form>
  );
}
