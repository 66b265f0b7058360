import type { AccountSession } from '@shared/accounts';
import { Monitor, Smartphone } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { accountApi } from '@/api/account';
import { asApiError } from '@/api/client';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { LoadErrorAlert } from '@/components/load-error-alert';
import { SkeletonList } from '@/components/skeleton-list';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { useNow } from '@/lib/use-now';
import type { Resource } from '@/lib/use-resource';
import { formatDate } from '../../connections/format';
import { describeUserAgent } from './user-agent';

/** Where the user is signed in, this browser first, each other one with a way to sign it out. */
export function SessionList({ sessions }: { sessions: Resource<AccountSession[]> }) {
  if (sessions.status === 'loading') {
    return (
      <SkeletonList label="Loading your sessions" count={2} itemClassName="h-[4.5rem]" />
    );
  }
  if (sessions.status === 'error') {
    return <LoadErrorAlert title="Couldn't load your sessions" error={sessions.error} onRetry={() => void sessions.reload()} />;
  }
  const others = sessions.data.filter((session) => !session.current).length;
  return (
    <div className="grid gap-3">
      <ul className="grid gap-2" aria-label="Your sessions">
        {sessions.data.map((session) => (
          <li key={session.id}>
            <SessionRow session={session} onSignedOut={sessions.reload} />
          </li>
        ))}
      </ul>
      {others === 0 && <p className="text-sm text-muted-foreground">You are not signed in anywhere else.</p>}
    </div>
  );
}

function SessionRow({ session, onSignedOut }: { session: AccountSession; onSignedOut: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const device = describeUserAgent(session.user_agent);
  const Icon = device.mobile ? Smartphone : Monitor;

  async function signOut() {
    setBusy(true);
    try {
      await accountApi.signOutSession(session.id);
      toast.success(`Signed out ${device.label}`);
      await onSignedOut();
    } catch (error) {
      toast.error("Couldn't sign out that session", { description: asApiError(error).message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card className="flex-row items-center gap-3 px-4 py-3">
      <div className="flex size-9 shrink-0 items-center justify-center rounded-full bg-muted">
        <Icon className="size-4 text-muted-foreground" aria-hidden />
      </div>
      <div className="grid min-w-0 flex-1 gap-0.5">
        <span className="flex flex-wrap items-center gap-x-2 gap-y-1 font-medium">
          {device.label}
          {session.current && <Badge variant="success">This browser</Badge>}
        </span>
        <span className="text-sm text-muted-foreground">
          {session.ip_address && <>{session.ip_address} · </>}
          <span title={formatDate(session.created_at, true)}>signed in {formatDate(session.created_at)}</span> ·{' '}
          <LastActive iso={session.last_active_at} current={session.current} />
        </span>
      </div>
      {!session.current && (
        <Button variant="outline" size="sm" loading={busy} onClick={() => void signOut()} aria-label={`Sign out ${device.label}, signed in ${formatDate(session.created_at)}`}>
          Sign out
        </Button>
      )}
    </Card>
  );
}

/** Scout renews a session at most once a day, so activity is shown to the day, never to the minute. */
function LastActive({ iso, current }: { iso: string; current: boolean }) {
  const now = useNow(60 * 60_000);
  if (current) return <>active now</>;
  const days = Math.floor((startOfDay(now) - startOfDay(new Date(iso).getTime())) / 86_400_000);
  if (days <= 0) return <>active today</>;
  if (days === 1) return <>active yesterday</>;
  return <span title={formatDate(iso, true)}>active {formatDate(iso)}</span>;
}

function startOfDay(time: number): number {
  const date = new Date(time);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}

/** Signs out every session but this one, after asking: for a lost laptop or a shared computer left signed in. */
export function SignOutOthersButton({ sessions }: { sessions: Resource<AccountSession[]> }) {
  const [confirming, setConfirming] = useState(false);
  const others = sessions.data?.filter((session) => !session.current).length ?? 0;
  if (others === 0) return null;

  async function signOutOthers() {
    const { signed_out_sessions: count } = await accountApi.signOutOtherSessions();
    toast.success(`Signed out of ${count} other ${count === 1 ? 'session' : 'sessions'}`);
    await sessions.reload();
  }

  return (
    <>
      <Button variant="outline" size="sm" onClick={() => setConfirming(true)}>
        Sign out other sessions
      </Button>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title="Sign out everywhere else?"
        description={`The ${others === 1 ? 'other session' : `${others} other sessions`} must sign in again. This browser stays signed in.`}
        confirmLabel="Sign out other sessions"
        onConfirm={signOutOthers}
      />
    </>
  );
}
