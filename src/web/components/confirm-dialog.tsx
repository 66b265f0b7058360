import { useState, type ReactNode } from 'react';
import { asApiError, type ApiError } from '@/api/client';
import { FormErrorAlert } from '@/components/form-error-alert';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';

interface ConfirmDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: ReactNode;
  /** What follows from confirming, beyond the one-line description (lists are not allowed inside it). */
  details?: ReactNode;
  confirmLabel: string;
  /** Closes the dialog when it resolves; a rejection is shown in the dialog, which stays open. */
  onConfirm: () => Promise<void>;
  destructive?: boolean;
}

/** Asks before an action that can't be undone, and keeps asking (with the reason) if it fails. */
export function ConfirmDialog({ open, onOpenChange, title, description, details, confirmLabel, onConfirm, destructive = false }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  function changeOpen(next: boolean) {
    if (busy) return;
    if (!next) setError(null);
    onOpenChange(next);
  }

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      setBusy(false);
      onOpenChange(false);
    } catch (caught) {
      setBusy(false);
      setError(asApiError(caught));
    }
  }

  return (
    <Dialog open={open} onOpenChange={changeOpen}>
      <DialogContent showCloseButton={false} onEscapeKeyDown={(event) => busy && event.preventDefault()}>
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{description}</DialogDescription>
        </DialogHeader>
        {details}
        {error && <FormErrorAlert error={error} />}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline" disabled={busy}>
              Cancel
            </Button>
          </DialogClose>
          <Button variant={destructive ? 'destructive' : 'default'} loading={busy} onClick={() => void confirm()}>
            {confirmLabel}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
