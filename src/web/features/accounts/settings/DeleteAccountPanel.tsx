import type { AccountDomain, AccountResponse } from '@shared/accounts';
import { CircleAlert, Users } from 'lucide-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { useAppStore } from '@/store/app-store';
import { DeleteAccountDialog } from './DeleteAccountDialog';

/**
 * What deleting the account takes with it, domain by domain, and the way to
 * do it; while the user is the only owner of a domain others use, why it
 * can't be done yet and what to do first.
 */
export function DeleteAccountPanel({ account, onRefused }: { account: AccountResponse; onRefused: () => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const blocking = account.domains.filter((domain) => domain.on_delete === 'blocks');

  return (
    <Card className="gap-4 border-destructive/30 py-5">
      <CardContent className="grid gap-4 px-4 sm:px-6">
        <p className="text-sm">
          Deleting your account signs you out everywhere and removes your access to every domain, with your CommCare credentials, chats and MCP
          tokens. It can't be undone.
        </p>
        {account.domains.length > 0 && (
          <ul aria-label="What happens to your domains" className="grid gap-2 text-sm">
            {account.domains.map((domain) => (
              <li key={domain.membership_id} className="grid gap-0.5 rounded-md border px-3 py-2 sm:flex sm:items-baseline sm:gap-2">
                <span className="font-medium break-all">{domain.name}</span>
                <span className="text-muted-foreground">{consequence(domain)}</span>
              </li>
            ))}
          </ul>
        )}
        {blocking.length > 0 && <BlockedNotice blocking={blocking} />}
        <div>
          <Button variant="destructive" disabled={blocking.length > 0} onClick={() => setOpen(true)}>
            Delete account…
          </Button>
        </div>
      </CardContent>
      <DeleteAccountDialog email={account.user.email} open={open} onOpenChange={setOpen} onRefused={onRefused} />
    </Card>
  );
}

function consequence(domain: AccountDomain): string {
  const others = domain.other_members === 1 ? '1 other member' : `${domain.other_members} other members`;
  switch (domain.on_delete) {
    case 'removed':
      return 'Only you use it: deleted with its synced data, chats and connectors.';
    case 'kept':
      return `Stays for its ${others}.`;
    case 'blocks':
      return `You are its only owner, and it has ${others}.`;
  }
}

function BlockedNotice({ blocking }: { blocking: AccountDomain[] }) {
  const names = blocking.map((domain) => `“${domain.name}”`).join(', ');
  return (
    <Alert variant="destructive">
      <CircleAlert aria-hidden />
      <AlertTitle>You can't delete your account yet</AlertTitle>
      <AlertDescription>
        <p>
          You are the only owner of {names}, which other people use. Make another member owner first (Settings → Members), or remove the other
          members{blocking.length > 1 ? ' from each' : ''}. Then come back here.
        </p>
        <div className="mt-2 flex flex-wrap gap-2">
          {blocking.map((domain) => (
            <ManageMembersButton key={domain.membership_id} domain={domain} />
          ))}
        </div>
      </AlertDescription>
    </Alert>
  );
}

/** Members is a page of the active domain: switch to this one, then open it. */
function ManageMembersButton({ domain }: { domain: AccountDomain }) {
  const setActiveDomain = useAppStore((state) => state.setActiveDomain);
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);

  async function open() {
    setBusy(true);
    const switched = await setActiveDomain(domain.membership_id);
    setBusy(false);
    if (switched) void navigate('/settings/members');
  }

  return (
    <Button variant="outline" size="sm" loading={busy} onClick={() => void open()}>
      <Users aria-hidden />
      Members of {domain.name}
    </Button>
  );
}
