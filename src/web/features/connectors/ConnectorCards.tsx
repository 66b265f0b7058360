import type { CatalogEntry, ConnectionCheck, ConnectorSummary } from '@shared/connectors';
import { secretFields } from '@shared/connectors';
import { Ban, CircleAlert, CircleCheck, CircleX, ExternalLink, KeyRound, LogIn, Megaphone, PlugZap, Power, PowerOff, Settings2, Trash2, TriangleAlert } from 'lucide-react';
import { useCallback, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { toast } from 'sonner';
import { asApiError } from '@/api/client';
import { connectorsApi } from '@/api/connectors';
import { publicationsApi } from '@/api/publications';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { LinkedMessage } from '@/components/linked-message';
import { formatDate } from '@/features/connections/format';
import { formatRelativeTime } from '@/features/data/format';
import { STATE_LABELS } from '@/features/publications/compose';
import { useNow } from '@/lib/use-now';
import { useResource } from '@/lib/use-resource';
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
        {entry.deprecated && <PublishingDisabled entry={entry} />}
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
  const [confirm, setConfirm] = useState<'delete' | 'missing' | 'connect' | null>(null);
  const status = STATUS[connector.status];
  const missing = (entry.auth_schema.required ?? []).filter((f) => !(connector.secrets[f]?.set ?? f in connector.auth));
  const secretCount = secretFields(entry.auth_schema).filter((f) => connector.secrets[f]?.set).length;
  // With Scout's app at the provider, the token comes from Connect, not from the form.
  const connectsWithOAuth = entry.oauth?.configured === true;
  const startUrl = oauthStartUrl(membershipId, connector.id);

  // The test's answer here is the newest; the list's `last_check` after a reload says the same.
  const [tested, setTested] = useState<ConnectionCheck | null>(null);
  const [testing, setTesting] = useState(false);
  const check = tested && (!connector.last_check || tested.checked_at >= connector.last_check.checked_at) ? tested : (connector.last_check ?? null);

  async function test() {
    setTesting(true);
    try {
      const result = await connectorsApi.test(membershipId, connector.id);
      setTested(result);
      if (result.ok) toast.success(result.message);
      else toast.error(`${connector.name}: the test failed`, { description: result.message });
      onChanged();
    } catch (error) {
      toast.error(`Couldn't test ${connector.name}`, { description: asApiError(error).message });
    } finally {
      setTesting(false);
    }
  }

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
        {!connectsWithOAuth && (
          <p className="text-sm text-muted-foreground">
            {connector.auth_configured ? `Credentials configured${secretCount ? ` (${secretCount} secret${secretCount === 1 ? '' : 's'})` : ''}` : `Missing: ${missing.map((f) => entry.auth_schema.properties[f]?.title ?? f).join(', ')}`}
          </p>
        )}
        {entry.oauth && <OAuthConnection oauth={entry.oauth} connector={connector} check={check} startUrl={startUrl} canManage={canManage} />}
        {connector.status === 'error' && connector.last_error ? (
          <p role="alert" className="flex items-start gap-2 rounded-md border border-destructive/30 bg-destructive/5 px-3 py-2 text-sm text-destructive">
            <CircleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
            <span className="break-words">
              <LinkedMessage text={connector.last_error} />
            </span>
          </p>
        ) : (
          connector.last_error && (
            <p className="text-sm text-destructive">
              <LinkedMessage text={connector.last_error} />
            </p>
          )
        )}
        {entry.deprecated && <PublishingDisabled entry={entry} />}
        <LastCheck check={check} />
        {entry.capabilities.publish === true && !entry.deprecated && <LastPublication membershipId={membershipId} connectorId={connector.id} />}
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
              <Button size="sm" loading={busy} onClick={() => (connector.auth_configured ? void setStatus('active') : setConfirm(connectsWithOAuth ? 'connect' : 'missing'))}>
                {!busy && <Power aria-hidden />}
                Activate
              </Button>
            ))}
          {canManage && connector.auth_configured && (
            <Button variant="outline" size="sm" loading={testing} onClick={() => void test()}>
              {!testing && <PlugZap aria-hidden />}
              Test connection
            </Button>
          )}
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
      {entry.oauth && (
        <ConfirmDialog
          open={confirm === 'connect'}
          onOpenChange={(open) => !open && setConfirm(null)}
          title={`Connect ${connector.name} first`}
          description={`${connector.name} can be activated once it is connected to an ${entry.oauth.name} account. Sign in at ${entry.oauth.name} now?`}
          confirmLabel={`Connect with ${entry.oauth.name}`}
          onConfirm={async () => {
            window.location.assign(startUrl);
          }}
        />
      )}
    </li>
  );
}

/** Where Connect sends the browser: Scout's start, which redirects on to the provider's sign-in. */
export function oauthStartUrl(membershipId: string, connectorId: string): string {
  return `/api/tenants/${encodeURIComponent(membershipId)}/connectors/${encodeURIComponent(connectorId)}/oauth/start`;
}

/** "in 12 days", "expired": how long a token has left. */
function daysLeft(iso: string, now: number): string {
  const left = new Date(iso).getTime() - now;
  if (Number.isNaN(left)) return iso;
  if (left <= 0) return 'expired';
  // Counted as the server's warning counts them, so the two never disagree.
  const days = Math.ceil(left / 86_400_000);
  return days === 1 ? 'in 1 day' : `in ${days} days`;
}

/** The env vars that give Scout its app at the provider (README, Configuration). */
function oauthEnvVars(oauth: NonNullable<CatalogEntry['oauth']>): string {
  const prefix = oauth.provider.toUpperCase();
  return `${prefix}_OAUTH_CLIENT_ID and ${prefix}_OAUTH_CLIENT_SECRET`;
}

interface OAuthConnectionProps {
  oauth: NonNullable<CatalogEntry['oauth']>;
  connector: ConnectorSummary;
  check: ConnectionCheck | null;
  startUrl: string;
  canManage: boolean;
}

/**
 * An X or LinkedIn connector's sign-in: Connect (a plain link through Scout
 * to the provider) when Scout has its app there, the account and how long
 * the token lasts once connected, and the expiry warning where it can't be
 * missed. Without Scout's app, who can turn Connect on.
 */
function OAuthConnection({ oauth, connector, check, startUrl, canManage }: OAuthConnectionProps) {
  const state = connector.oauth ?? null;
  const connected = state?.connected === true;
  const account = check?.ok ? check.account : null;
  const now = useNow();
  return (
    <div className="grid gap-2 rounded-md border bg-muted/30 px-3 py-2 text-sm" role="group" aria-label={`${oauth.name} account`}>
      <p className="flex items-start gap-2">
        <KeyRound aria-hidden className="mt-0.5 size-4 shrink-0 text-muted-foreground" />
        <span className="min-w-0 break-words">
          {connected ? (
            <>
              Connected to {oauth.name}
              {account && (
                <>
                  {' as '}
                  {account.url ? (
                    <a href={account.url} target="_blank" rel="noopener noreferrer" className="font-medium underline underline-offset-4">
                      {account.name}
                    </a>
                  ) : (
                    <span className="font-medium">{account.name}</span>
                  )}
                </>
              )}
            </>
          ) : oauth.configured ? (
            `Not connected to ${oauth.name} yet.`
          ) : (
            `Connect with ${oauth.name} is not set up on this Scout.`
          )}
        </span>
      </p>
      {/* The warning, when there is one, says when it expires already. */}
      {connected && state && !state.warning && (state.renews || state.expires_at) && (
        <p className="text-xs text-muted-foreground">
          {state.renews ? 'Renews itself: Scout refreshes the token as it expires.' : 'Expires '}
          {!state.renews && state.expires_at && (
            <>
              <time dateTime={state.expires_at} title={formatDate(state.expires_at, true)}>
                {formatDate(state.expires_at)}
              </time>
              {` (${daysLeft(state.expires_at, now)}); connect again before then.`}
            </>
          )}
        </p>
      )}
      {state?.warning && (
        <p role="alert" className="flex items-start gap-2 rounded-md border border-amber-500/40 bg-amber-50 px-2.5 py-1.5 text-sm font-medium text-amber-900 dark:bg-amber-400/10 dark:text-amber-200">
          <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
          <span className="break-words">{state.warning}</span>
        </p>
      )}
      {!oauth.configured && (
        <p className="text-xs text-muted-foreground">
          The server admin must set <code className="font-mono">{oauthEnvVars(oauth)}</code> (Scout&apos;s app at {oauth.name}) to offer Connect.
          {!connected && ` Until then, paste an access token under ${canManage ? 'Configure' : 'the connector\'s settings'}.`}
        </p>
      )}
      {oauth.configured && canManage && (
        <Button asChild size="sm" variant={connected ? 'outline' : 'default'} className="justify-self-start">
          <a href={startUrl}>
            <LogIn aria-hidden />
            {connected ? `Reconnect with ${oauth.name}` : `Connect with ${oauth.name}`}
          </a>
        </Button>
      )}
      {oauth.configured && !canManage && !connected && <p className="text-xs text-muted-foreground">An owner or admin of this domain can connect it to {oauth.name}.</p>}
    </div>
  );
}

/** A deprecated type: it stays in the catalog, but Scout publishes nothing through it. */
function PublishingDisabled({ entry }: { entry: CatalogEntry }) {
  return (
    <p className="flex items-start gap-1.5 text-xs text-amber-700 dark:text-amber-400">
      <Ban aria-hidden className="mt-0.5 size-3.5 shrink-0" />
      <span>
        <span className="font-medium">Publishing is disabled.</span>
        {entry.deprecation_reason && ` ${entry.deprecation_reason}`}
      </span>
    </p>
  );
}

/** The last connection test: passed or failed, as whom, and when. */
function LastCheck({ check }: { check: ConnectionCheck | null }) {
  const now = useNow();
  if (!check) return <p className="text-xs text-muted-foreground">Connection not tested yet.</p>;
  const Icon = check.ok ? CircleCheck : CircleX;
  return (
    <div className={check.ok ? 'grid gap-0.5 text-sm' : 'grid gap-0.5 text-sm text-destructive'} aria-label="Last connection test" role="group">
      <p className="flex items-start gap-1.5">
        <Icon aria-hidden className={check.ok ? 'mt-0.5 size-4 shrink-0 text-emerald-600 dark:text-emerald-400' : 'mt-0.5 size-4 shrink-0'} />
        <span className="break-words">{check.message}</span>
      </p>
      <p className="text-xs text-muted-foreground">
        {check.ok ? 'Test passed' : 'Test failed'}{' '}
        <time dateTime={check.checked_at} title={formatDate(check.checked_at, true)}>
          {formatRelativeTime(check.checked_at, now)}
        </time>
        {check.account && (
          <>
            {' · '}
            {check.account.url ? (
              <a href={check.account.url} target="_blank" rel="noopener noreferrer" className="inline-flex items-center gap-0.5 underline underline-offset-4">
                {check.account.name}
                <ExternalLink aria-hidden className="size-3" />
              </a>
            ) : (
              check.account.name
            )}
          </>
        )}
      </p>
    </div>
  );
}

/** The newest publication through this connector: what it was and how it went. */
function LastPublication({ membershipId, connectorId }: { membershipId: string; connectorId: string }) {
  const last = useResource(useCallback((signal: AbortSignal) => publicationsApi.list(membershipId, { connector_id: connectorId, limit: 1 }, { signal }), [membershipId, connectorId]));
  // Said nothing rather than an error: the card is about the connector, the Publications page about what went through it.
  if (last.status !== 'ready') return null;
  const publication = last.data[0];
  return (
    <div className="flex min-w-0 items-start gap-1.5 text-xs text-muted-foreground" role="group" aria-label="Last publication">
      <Megaphone aria-hidden className="mt-0.5 size-3.5 shrink-0" />
      {publication ? (
        <p className="min-w-0 break-words">
          Last publication:{' '}
          {publication.state === 'published' && publication.external_url ? (
            <a href={publication.external_url} target="_blank" rel="noopener noreferrer" className="font-medium text-foreground underline underline-offset-4">
              {publication.title}
            </a>
          ) : (
            <Link to="/publications" className="font-medium text-foreground underline underline-offset-4">
              {publication.title}
            </Link>
          )}{' '}
          ({STATE_LABELS[publication.state].label.toLowerCase()})
        </p>
      ) : (
        <p>Nothing published through it yet.</p>
      )}
    </div>
  );
}
