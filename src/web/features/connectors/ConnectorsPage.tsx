import type { CatalogEntry, ConnectorSummary } from '@shared/connectors';
import type { TenantSummary } from '@shared/tenants';
import { CircleAlert, Plug, Plus, Search, X } from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { toast } from 'sonner';
import { connectorsApi } from '@/api/connectors';
import { LoadErrorAlert } from '@/components/load-error-alert';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { PageHeader } from '@/components/page-header';
import { SkeletonList } from '@/components/skeleton-list';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Input } from '@/components/ui/input';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { DomainRequired } from '@/features/shell/DomainRequired';
import { useResource } from '@/lib/use-resource';
import { useActiveDomain } from '@/store/active-domain';
import { CatalogCard, InstalledCard } from './ConnectorCards';
import { ConnectorFormDialog } from './ConnectorFormDialog';
import { CatalogPicker } from './CatalogPicker';

export function ConnectorsPage() {
  const active = useActiveDomain();
  return (
    <>
      <PageHeader title="Connectors" description="External services such as WordPress, LinkedIn, Medium and X that this domain can publish to." />
      {active ? (
        <ConnectorsWorkspace key={active.id} domain={active} />
      ) : (
        <DomainRequired
          empty={{
            icon: Plug,
            title: 'Connect a CommCare domain to install connectors',
            description: 'Connectors are installed per domain, with their settings and credentials kept encrypted. Connect a CommCare domain first.',
          }}
          select={{ title: 'Select a domain to see its connectors', purpose: 'Connectors belong to one CommCare project.' }}
        />
      )}
    </>
  );
}

const ALL = 'all';
const loadCatalog = (signal: AbortSignal) => connectorsApi.catalog({ signal });

type Editing = { entry: CatalogEntry; connector?: ConnectorSummary } | null;

function ConnectorsWorkspace({ domain }: { domain: TenantSummary }) {
  const canManage = domain.can['connectors.manage'];
  const catalog = useResource(loadCatalog);
  const installed = useResource(useCallback((signal: AbortSignal) => connectorsApi.list(domain.id, { signal }), [domain.id]));
  const [tab, setTab] = useState('installed');
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState(ALL);
  const [editing, setEditing] = useState<Editing>(null);
  const [picking, setPicking] = useState(false);

  // Back from Connect (the OAuth callback): `?connected=<id>` or `?oauth_error=<message>`, read once and then taken off the address.
  const [searchParams, setSearchParams] = useSearchParams();
  const [landing] = useState(() => ({ connected: searchParams.get('connected'), error: searchParams.get('oauth_error') }));
  const [oauthError, setOauthError] = useState(landing.error);
  useEffect(() => {
    if (!searchParams.has('connected') && !searchParams.has('oauth_error')) return;
    const next = new URLSearchParams(searchParams);
    next.delete('connected');
    next.delete('oauth_error');
    setSearchParams(next, { replace: true });
  }, [searchParams, setSearchParams]);

  const entries = useMemo(() => new Map((catalog.data ?? []).map((e) => [e.key, e])), [catalog.data]);
  // The list loads as the page opens, so it already holds the new tokens' state; the toast names the connector from it.
  const announced = useRef(false);
  useEffect(() => {
    if (!landing.connected || announced.current || installed.status !== 'ready') return;
    announced.current = true;
    const connector = installed.data.find((c) => c.id === landing.connected);
    if (!connector) {
      // Connected in another domain than the one selected: nothing here changed, but say so.
      toast.success('Connected');
      return;
    }
    const via = entries.get(connector.catalog_key)?.oauth?.name;
    toast.success(`Connected ${connector.name}${via ? ` to ${via}` : ''}`);
  }, [landing.connected, installed.status, installed.data, entries]);
  const categories = useMemo(() => [...new Set((catalog.data ?? []).map((e) => e.category))].sort(), [catalog.data]);
  const needle = search.trim().toLowerCase();
  const matchesEntry = (entry: CatalogEntry | undefined) =>
    !!entry && (category === ALL || entry.category === category);
  const catalogShown = (catalog.data ?? []).filter((e) => matchesEntry(e) && (!needle || `${e.name} ${e.description} ${e.category}`.toLowerCase().includes(needle)));
  const installedShown = (installed.data ?? []).filter(
    (c) => matchesEntry(entries.get(c.catalog_key)) && (!needle || `${c.name} ${c.tags.join(' ')} ${entries.get(c.catalog_key)?.name ?? ''}`.toLowerCase().includes(needle)),
  );
  const loading = catalog.status === 'loading' || installed.status === 'loading';

  return (
    <div className="grid gap-4">
      <Tabs value={tab} onValueChange={setTab}>
        <div className="flex flex-wrap items-center justify-between gap-3">
          <TabsList>
            <TabsTrigger value="installed">Installed{installed.data ? ` (${installed.data.length})` : ''}</TabsTrigger>
            <TabsTrigger value="catalog">Catalog</TabsTrigger>
          </TabsList>
          <div className="flex flex-wrap items-center gap-2">
            <div className="relative">
              <Search aria-hidden className="pointer-events-none absolute top-2.5 left-2.5 size-4 text-muted-foreground" />
              <Input value={search} onChange={(event) => setSearch(event.target.value)} placeholder="Search connectors" aria-label="Search connectors" className="w-56 pl-8" />
            </div>
            <Select value={category} onValueChange={setCategory}>
              <SelectTrigger className="w-40" aria-label="Category">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value={ALL}>All categories</SelectItem>
                {categories.map((c) => (
                  <SelectItem key={c} value={c}>
                    {c}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
            {canManage && (
              <Button onClick={() => setPicking(true)} disabled={catalog.status !== 'ready'}>
                <Plus aria-hidden />
                Add connector
              </Button>
            )}
          </div>
        </div>

        {oauthError !== null && (
          <Alert variant="destructive" className="mt-4 pr-10">
            <CircleAlert aria-hidden />
            <AlertTitle>Couldn&apos;t connect the account</AlertTitle>
            <AlertDescription>{oauthError || 'The sign-in failed; try Connect again.'}</AlertDescription>
            <Button variant="ghost" size="icon" className="absolute top-1.5 right-1.5 size-7" aria-label="Dismiss" onClick={() => setOauthError(null)}>
              <X aria-hidden />
            </Button>
          </Alert>
        )}
        {catalog.status === 'error' && <LoadErrorAlert title="Couldn't load the connector catalog" error={catalog.error} onRetry={() => void catalog.reload()} />}
        {installed.status === 'error' && <LoadErrorAlert title="Couldn't load this domain's connectors" error={installed.error} onRetry={() => void installed.reload()} />}
        {loading && (
          <SkeletonList label="Loading connectors" count={3} itemClassName="h-40 rounded-xl" className="mt-4 grid gap-4 sm:grid-cols-2 xl:grid-cols-3" />
        )}

        <TabsContent value="installed" className="mt-4">
          {installed.status === 'ready' && catalog.status === 'ready' && (
            installed.data.length === 0 ? (
              <EmptyState
                icon={Plug}
                title="No connectors installed yet — add one from the Catalog"
                description={canManage ? 'Install WordPress, X, LinkedIn or Medium to give this domain places to publish.' : 'An owner or admin of this domain can install connectors.'}
                action={<Button variant="outline" onClick={() => setTab('catalog')}>Browse the catalog</Button>}
              />
            ) : installedShown.length === 0 ? (
              <p className="py-8 text-center text-sm text-muted-foreground">No installed connector matches your search.</p>
            ) : (
              <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3" aria-label="Installed connectors">
                {installedShown.map((connector) => (
                  <InstalledCard
                    key={connector.id}
                    connector={connector}
                    entry={entries.get(connector.catalog_key)!}
                    membershipId={domain.id}
                    canManage={canManage}
                    onConfigure={() => setEditing({ entry: entries.get(connector.catalog_key)!, connector })}
                    onChanged={() => void installed.reload()}
                  />
                ))}
              </ul>
            )
          )}
        </TabsContent>
        <TabsContent value="catalog" className="mt-4">
          {catalog.status === 'ready' && (
            <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3" aria-label="Connector catalog">
              {catalogShown.map((entry) => (
                <CatalogCard
                  key={entry.key}
                  entry={entry}
                  installedCount={(installed.data ?? []).filter((c) => c.catalog_key === entry.key).length}
                  canManage={canManage}
                  onAdd={() => setEditing({ entry })}
                />
              ))}
            </ul>
          )}
        </TabsContent>
      </Tabs>

      {picking && catalog.data && (
        <CatalogPicker
          entries={catalog.data}
          onPick={(entry) => {
            setPicking(false);
            setEditing({ entry });
          }}
          onClose={() => setPicking(false)}
        />
      )}
      {editing && (
        <ConnectorFormDialog
          key={editing.connector?.id ?? editing.entry.key}
          open
          onOpenChange={(open) => !open && setEditing(null)}
          membershipId={domain.id}
          entry={editing.entry}
          connector={editing.connector}
          readOnly={!canManage}
          onSaved={() => {
            setTab('installed');
            void installed.reload();
          }}
        />
      )}
    </div>
  );
}
