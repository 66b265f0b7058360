import { KeyRound } from 'lucide-react';
import type { ReactNode } from 'react';
import { accountApi } from '@/api/account';
import { PageHeader } from '@/components/page-header';
import { LoadErrorAlert } from '@/components/load-error-alert';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Skeleton } from '@/components/ui/skeleton';
import { useResource, type Resource } from '@/lib/use-resource';
import { useAppStore } from '@/store/app-store';
import { DeleteAccountPanel } from './DeleteAccountPanel';
import { PasswordForm } from './PasswordForm';
import { ProfileForm } from './ProfileForm';
import { SessionList, SignOutOthersButton } from './SessionList';
import { PageSection } from '@/components/page-section';

const loadAccount = (signal: AbortSignal) => accountApi.get({ signal });
const loadSessions = (signal: AbortSignal) => accountApi.listSessions({ signal });

/** Settings → Account: the user's name, password, where they are signed in, and deleting the account. */
export function AccountSettingsPage() {
  const user = useAppStore((state) => state.user);
  const account = useResource(loadAccount);
  const sessions = useResource(loadSessions);
  if (!user) return null;

  return (
    <>
      <PageHeader title="Account" description="Your name, your password, and where you are signed in." />
      <div className="grid max-w-3xl gap-12">
        <PageSection title="Profile">
          <ProfileForm user={user} />
        </PageSection>

        <PageSection title="Password" description="Changing it signs you out everywhere else.">
          <Loaded resource={account} title="Couldn't load your account" skeleton="h-80">
            {(data) => (data.has_password ? <PasswordForm onChanged={sessions.reload} /> : <NoPasswordNotice />)}
          </Loaded>
        </PageSection>

        <PageSection
          title="Sessions"
          description="The browsers and devices signed in to your account."
          actions={<SignOutOthersButton sessions={sessions} />}
        >
          <SessionList sessions={sessions} />
        </PageSection>

        <PageSection title="Delete account">
          {/* One failed load is reported once, under Password; here it only says why the button is missing. */}
          {account.status === 'error' ? (
            <p className="text-sm text-muted-foreground">Deleting your account is available once your account details load.</p>
          ) : (
            <Loaded resource={account} title="Couldn't load your account" skeleton="h-44">
              {(data) => <DeleteAccountPanel account={data} onRefused={account.reload} />}
            </Loaded>
          )}
        </PageSection>
      </div>
    </>
  );
}

/** A section's loading skeleton, its error with a retry, or its content. */
function Loaded<T>({ resource, title, skeleton, children }: { resource: Resource<T>; title: string; skeleton: string; children: (data: T) => ReactNode }) {
  if (resource.status === 'loading') {
    return (
      <div role="status" aria-label="Loading your account">
        <Skeleton className={skeleton} />
      </div>
    );
  }
  if (resource.status === 'error') return <LoadErrorAlert title={title} error={resource.error} onRetry={() => void resource.reload()} />;
  return <>{children(resource.data)}</>;
}

function NoPasswordNotice() {
  return (
    <Alert>
      <KeyRound aria-hidden />
      <AlertTitle>You sign in with CommCare</AlertTitle>
      <AlertDescription>
        <p>This account has no Scout password to change: CommCare checks your password when you sign in.</p>
      </AlertDescription>
    </Alert>
  );
}
