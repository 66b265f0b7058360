import { confirmsEmail, deleteAccountSchema } from '@shared/accounts';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { toast } from 'sonner';
import { accountApi } from '@/api/account';
import { isApiError } from '@/api/client';
import { FormErrorAlert } from '@/components/form-error-alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { useValidatedForm } from '@/lib/use-validated-form';
import { useAppStore } from '@/store/app-store';
import { EmailAddress } from './EmailAddress';

interface DeleteAccountDialogProps {
  email: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The server refused (a domain gained members meanwhile, say): the page refreshes what it shows. */
  onRefused: () => Promise<void>;
}

/** The last step: typing the account's email, so a stray click can't delete it. */
export function DeleteAccountDialog({ email, open, onOpenChange, onRefused }: DeleteAccountDialogProps) {
  const [busy, setBusy] = useState(false);

  return (
    <Dialog open={open} onOpenChange={(next) => !busy && onOpenChange(next)}>
      <DialogContent showCloseButton={false} onEscapeKeyDown={(event) => busy && event.preventDefault()}>
        {/* Inside the content, so closing the dialog forgets what was typed and any refusal. */}
        <DeleteAccountForm email={email} onBusyChange={setBusy} onRefused={onRefused} />
      </DialogContent>
    </Dialog>
  );
}

function DeleteAccountForm({ email, onBusyChange, onRefused }: { email: string; onBusyChange: (busy: boolean) => void; onRefused: () => Promise<void> }) {
  const [typed, setTyped] = useState('');
  const accountDeleted = useAppStore((state) => state.accountDeleted);
  const accountDeletion = useAppStore((state) => state.accountDeletion);
  const navigate = useNavigate();
  const form = useValidatedForm(deleteAccountSchema, async (input) => {
    accountDeletion('started');
    try {
      await accountApi.deleteAccount(input);
    } catch (error) {
      accountDeletion('refused');
      if (isApiError(error) && error.status === 409) await onRefused();
      throw error;
    }
    void navigate('/sign-in', { replace: true });
    accountDeleted();
    toast('Your account was deleted');
  });
  const { submitting } = form;
  useEffect(() => onBusyChange(submitting), [submitting, onBusyChange]);

  return (
    <form {...form.formProps} aria-label="Delete your account" className="grid gap-4">
      <DialogHeader>
        <DialogTitle>Delete your account?</DialogTitle>
        <DialogDescription>
          Your access to every domain, your CommCare credentials, chats and MCP tokens are deleted, and domains nobody else uses go with them.
          This can't be undone.
        </DialogDescription>
      </DialogHeader>
      {form.formError && <FormErrorAlert error={form.formError} />}
      <p className="text-sm break-words">
        To confirm, type <strong className="font-semibold"><EmailAddress email={email} /></strong> below.
      </p>
      <FormField label="Your email address" errors={form.fieldErrors.confirm_email}>
        <Input
          name="confirm_email"
          type="email"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
        />
      </FormField>
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline" disabled={submitting}>
            Cancel
          </Button>
        </DialogClose>
        <Button type="submit" variant="destructive" loading={submitting} disabled={!confirmsEmail(typed, email)}>
          Delete my account
        </Button>
      </DialogFooter>
    </form>
  );
}
