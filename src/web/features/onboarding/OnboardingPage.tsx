import type { OAuthProviderSummary, TenantCredentialSummary } from '@shared/tenants';
import type { LucideIcon } from 'lucide-react';
import { ArrowLeft, FlaskConical, KeyRound, LogIn } from 'lucide-react';
import type { ReactNode } from 'react';
import { useId } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { toast } from 'sonner';
import { tenantsApi } from '@/api/tenants';
import { PageHeader } from '@/components/page-header';
import { SkeletonList } from '@/components/skeleton-list';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader } from '@/components/ui/card';
import { AddDomainForm } from '@/features/connections/AddDomainForm';
import { useConnectDemo } from '@/features/connections/use-connect-demo';
import { useHqServers } from '@/features/connections/use-hq-servers';
import { useResource } from '@/lib/use-resource';
import { useAppStore } from '@/store/app-store';

const loadProviders = (signal: AbortSignal) => tenantsApi.listProviders({ signal });

/** The step is in the address, so Back in the browser returns to the choices. */
const METHOD_PARAM = 'method';
const API_KEY_METHOD = 'api-key';

/** The way in for someone without a domain: sign in with CommCare, add an API key, or try the demo. */
export function OnboardingPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const hasDomains = useAppStore((state) => state.domains.length > 0);
  const fetchDomains = useAppStore((state) => state.fetchDomains);
  const setActiveDomain = useAppStore((state) => state.setActiveDomain);
  const navigate = useNavigate();

  /** A first domain is the one to work in: select it and go on to `to`. */
  async function startWith(connection: TenantCredentialSummary, to: string) {
    await fetchDomains();
    await setActiveDomain(connection.membership_id);
    toast.success(`Connected ${connection.tenant_name}`);
    void navigate(to);
  }

  const title = hasDomains ? 'Connect another domain' : 'Connect your first domain';
  const description =
    'Scout answers questions from a private copy of a CommCare project space’s (domain’s) cases and forms. Choose how to connect one.';

  if (searchParams.get(METHOD_PARAM) === API_KEY_METHOD) {
    return (
      <>
        <PageHeader title={title} description={description} />
        <ApiKeyStep onBack={() => setSearchParams({})} onConnected={(connection) => startWith(connection, '/chat')} />
      </>
    );
  }

  return (
    <>
      <PageHeader title={title} description={description} />
      {/* The demo's first sync has started (useConnectDemo): its progress, then its tables, are on the Data page. */}
      <Choices onChooseApiKey={() => setSearchParams({ [METHOD_PARAM]: API_KEY_METHOD })} onDemoConnected={(connection) => startWith(connection, '/data')} />
    </>
  );
}

function Choices({
  onChooseApiKey,
  onDemoConnected,
}: {
  onChooseApiKey: () => void;
  onDemoConnected: (connection: TenantCredentialSummary) => Promise<void>;
}) {
  const providers = useResource(loadProviders);
  const servers = useHqServers();
  const demo = useConnectDemo(onDemoConnected);

  if (providers.status === 'loading' || servers.status === 'loading') {
    return (
      <SkeletonList label="Loading ways to connect" count={3} itemClassName="h-56 rounded-xl" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" />
    );
  }

  // When a list fails to load, its choice is left out: adding an API key always works, so there is always a way on.
  const oauthProviders: OAuthProviderSummary[] = providers.data ?? [];
  const demoAvailable = servers.data?.demo_available ?? false;

  return (
    <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Ways to connect">
      {oauthProviders.length > 0 && (
        <Choice
          icon={LogIn}
          title="Connect with CommCare"
          description="Sign in with your CommCare account. Scout connects every domain you are a member of and keeps the list up to date."
          action={oauthProviders.map((provider) => (
            <Button key={provider.id} asChild className="w-full">
              <a href={provider.login_url}>Sign in with {provider.name}</a>
            </Button>
          ))}
        />
      )}
      <Choice
        icon={KeyRound}
        title="Add an API key"
        description="Connect one domain with your CommCare username and an API key. Works with any CommCare server."
        action={
          <Button variant={oauthProviders.length > 0 ? 'outline' : 'default'} className="w-full" onClick={onChooseApiKey}>
            Add an API key
          </Button>
        }
      />
      {demoAvailable && (
        <Choice
          icon={FlaskConical}
          title="Try with demo data"
          description="Explore Scout with a simulated CommCare project: realistic cases and forms, no account needed."
          action={
            <Button variant="outline" className="w-full" loading={demo.connecting} onClick={() => void demo.connect()}>
              Try with demo data
            </Button>
          }
        />
      )}
    </ul>
  );
}

function Choice({ icon: Icon, title, description, action }: { icon: LucideIcon; title: string; description: string; action: ReactNode }) {
  const titleId = useId();
  return (
    <li className="flex">
      <Card className="w-full gap-4" role="group" aria-labelledby={titleId}>
        <CardHeader className="gap-3">
          <div className="flex size-10 items-center justify-center rounded-full bg-muted">
            <Icon className="size-5 text-muted-foreground" aria-hidden />
          </div>
          <h2 id={titleId} className="font-semibold tracking-tight">
            {title}
          </h2>
          <CardDescription>{description}</CardDescription>
        </CardHeader>
        <CardContent className="mt-auto grid gap-2">{action}</CardContent>
      </Card>
    </li>
  );
}

function ApiKeyStep({ onBack, onConnected }: { onBack: () => void; onConnected: (connection: TenantCredentialSummary) => Promise<void> }) {
  const helpId = useId();
  return (
    <div className="grid gap-4">
      <Button variant="ghost" size="sm" className="-ml-2 w-fit" onClick={onBack}>
        <ArrowLeft aria-hidden />
        Other ways to connect
      </Button>
      <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_17rem]">
        <Card className="gap-5">
          <CardHeader className="px-4 sm:px-6">
            <h2 className="text-lg font-semibold tracking-tight">Add an API key</h2>
            <CardDescription>Scout checks the key with CommCare before saving it; that can take a few seconds.</CardDescription>
          </CardHeader>
          <CardContent className="px-4 sm:px-6">
            <AddDomainForm autoFocus onConnected={onConnected} />
          </CardContent>
        </Card>
        <aside aria-labelledby={helpId} className="rounded-xl border bg-muted/40 p-5 text-sm">
          <h2 id={helpId} className="font-semibold">
            Where to find your API key
          </h2>
          <ol className="mt-3 grid list-decimal gap-2 pl-5 text-muted-foreground marker:text-foreground/60">
            <li>Sign in to CommCare HQ.</li>
            <li>
              Open <strong className="font-medium text-foreground">Settings → My Account → API Keys</strong>.
            </li>
            <li>Create a key (name it “Scout”, say), or copy one you already have.</li>
            <li>Paste it here with the email address you sign in with.</li>
          </ol>
          <p className="mt-4 text-muted-foreground">
            Scout stores the key encrypted and uses it only to read this domain’s cases and forms. It is never shown again.
          </p>
        </aside>
      </div>
    </div>
  );
}
