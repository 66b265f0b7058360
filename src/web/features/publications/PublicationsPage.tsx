import type { Publication } from '@shared/publications';
import type { TenantSummary } from '@shared/tenants';
import { Bot, CircleAlert, ExternalLink, Image, Megaphone, Pencil, Send, Table2 } from 'lucide-react';
import { useCallback, useMemo, useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { asApiError, type ApiError } from '@/api/client';
import { publicationsApi } from '@/api/publications';
import { FormErrorAlert } from '@/components/form-error-alert';
import { LoadErrorAlert } from '@/components/load-error-alert';
import { PageHeader } from '@/components/page-header';
import { SkeletonList } from '@/components/skeleton-list';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { FormField } from '@/components/ui/form-field';
import { Spinner } from '@/components/ui/spinner';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { Textarea } from '@/components/ui/textarea';
import { formatDate } from '@/features/connections/format';
import { formatRelativeTime } from '@/features/data/format';
import { DomainRequired } from '@/features/shell/DomainRequired';
import { useNow } from '@/lib/use-now';
import { useResource } from '@/lib/use-resource';
import { useActiveDomain } from '@/store/active-domain';
import { STATE_LABELS } from './compose';
import { PreviewFrame, targetTypeName } from './PreviewFrame';
import { PublishDialog } from './PublishDialog';
import { usePublishingProgress } from './use-publishing';

const DESCRIPTION = 'What this domain posts to WordPress, X and LinkedIn: nothing leaves Scout until an owner or admin approves it.';

/** Publications: waiting for approval, drafts, and what was published, failed or rejected. */
export function PublicationsPage() {
  const active = useActiveDomain();
  return (
    <>
      <PageHeader title="Publications" description={DESCRIPTION} />
      {active ? (
        <PublicationsWorkspace key={active.id} domain={active} />
      ) : (
        <DomainRequired
          empty={{ icon: Megaphone, title: 'Connect a CommCare domain to publish its results', description: 'Publications are made per domain, from its questions, dashboards and chat answers.' }}
          select={{ title: 'Select a domain to see its publications', purpose: 'Publications belong to one CommCare project.' }}
        />
      )}
    </>
  );
}

type Tab = 'pending' | 'drafts' | 'history';

const tabOf = (publication: Publication): Tab =>
  publication.state === 'draft' ? 'drafts' : publication.state === 'pending_approval' || publication.state === 'approved' ? 'pending' : 'history';

function PublicationsWorkspace({ domain }: { domain: TenantSummary }) {
  const list = useResource(useCallback((signal: AbortSignal) => publicationsApi.list(domain.id, {}, { signal }), [domain.id]));
  const [tab, setTab] = useState<Tab>('pending');
  // What changed here since the list loaded, by id; approved or sent ones stay in the tab they were acted on in, showing how it went.
  const [changed, setChanged] = useState<Record<string, Publication>>({});
  const [stays, setStays] = useState<Record<string, Tab>>({});
  const now = useNow();

  const items = useMemo(() => (list.data ?? []).map((publication) => changed[publication.id] ?? publication), [list.data, changed]);
  // Each in the tab of its state, and also where it was acted on (so an approval's outcome shows where Approve was pressed).
  const inTab = (which: Tab) => items.filter((publication) => tabOf(publication) === which || stays[publication.id] === which);
  const pending = inTab('pending');
  const drafts = inTab('drafts');
  const history = inTab('history');
  const waiting = items.filter((publication) => publication.state === 'pending_approval').length;

  const update = useCallback((next: Publication, from?: Tab) => {
    setChanged((current) => ({ ...current, [next.id]: next }));
    if (from) setStays((current) => (current[next.id] ? current : { ...current, [next.id]: from }));
  }, []);

  return (
    <Tabs value={tab} onValueChange={(value) => setTab(value as Tab)}>
      <TabsList className="w-full sm:w-fit">
        <TabsTrigger value="pending">
          <span className="sm:hidden">Waiting</span>
          <span className="hidden sm:inline">Waiting for approval</span>
          {list.data && waiting > 0 && <Badge variant="secondary">{waiting}</Badge>}
        </TabsTrigger>
        <TabsTrigger value="drafts">Drafts{list.data && drafts.length > 0 && <Badge variant="secondary">{drafts.length}</Badge>}</TabsTrigger>
        <TabsTrigger value="history">History</TabsTrigger>
      </TabsList>
      {list.status === 'loading' && <SkeletonList label="Loading publications" count={3} itemClassName="h-32 rounded-xl" className="mt-4 grid gap-3" />}
      {list.status === 'error' && (
        <div className="mt-4">
          <LoadErrorAlert title="Couldn't load the publications" error={list.error} onRetry={() => void list.reload()} />
        </div>
      )}
      {list.status === 'ready' && (
        <>
          <TabsContent value="pending" className="mt-4">
            <PublicationList
              label="Waiting for approval"
              items={pending}
              empty={{ title: 'Nothing is waiting for approval', description: 'Press Publish on a question, a dashboard or a chat answer to draft a post; it waits here until an owner or admin approves it.' }}
              domain={domain}
              now={now}
              onChange={(next) => update(next, 'pending')}
            />
          </TabsContent>
          <TabsContent value="drafts" className="mt-4">
            <PublicationList
              label="Drafts"
              items={drafts}
              empty={{ title: 'No drafts', description: 'A publication saved as a draft, by you or the agent, waits here until it is sent for approval.' }}
              domain={domain}
              now={now}
              onChange={(next) => update(next, 'drafts')}
            />
          </TabsContent>
          <TabsContent value="history" className="mt-4">
            <PublicationList
              label="History"
              items={history}
              empty={{ title: 'Nothing published yet', description: 'Published posts, with links to them, and failed or rejected publications show up here.' }}
              domain={domain}
              now={now}
              onChange={(next) => update(next)}
            />
          </TabsContent>
        </>
      )}
    </Tabs>
  );
}

function PublicationList({ label, items, empty, domain, now, onChange }: { label: string; items: Publication[]; empty: { title: string; description: string }; domain: TenantSummary; now: number; onChange: (next: Publication) => void }) {
  if (items.length === 0) return <EmptyState icon={Megaphone} title={empty.title} description={empty.description} />;
  return (
    <ul className="grid gap-3" aria-label={label}>
      {items.map((publication) => (
        <PublicationItem key={publication.id} publication={publication} domain={domain} now={now} onChange={onChange} />
      ))}
    </ul>
  );
}

function PublicationItem({ publication, domain, now, onChange }: { publication: Publication; domain: TenantSummary; now: number; onChange: (next: Publication) => void }) {
  const membershipId = domain.id;
  const [busy, setBusy] = useState<'approve' | 'submit' | null>(null);
  const [dialog, setDialog] = useState<'edit' | 'reject' | null>(null);
  const [showPreview, setShowPreview] = useState(false);
  usePublishingProgress(membershipId, publication, onChange);
  const state = STATE_LABELS[publication.state];
  const connector = publication.connector;

  async function act(kind: 'approve' | 'submit') {
    setBusy(kind);
    try {
      const next = kind === 'approve' ? await publicationsApi.approve(membershipId, publication.id) : await publicationsApi.update(membershipId, publication.id, { submit: true });
      onChange(next);
      if (kind === 'submit') toast.success(`Sent “${next.title}” for approval`);
    } catch (error) {
      toast.error(kind === 'approve' ? `Couldn't approve “${publication.title}”` : `Couldn't send “${publication.title}” for approval`, { description: asApiError(error).message });
    } finally {
      setBusy(null);
    }
  }

  return (
    <li>
      <article aria-label={publication.title} className="grid min-w-0 gap-3 rounded-xl border bg-card p-4 text-card-foreground shadow-sm" data-state={publication.state}>
        <header className="flex flex-wrap items-start justify-between gap-2">
          <div className="grid min-w-0 gap-0.5">
            <h2 className="font-medium break-words">{publication.title}</h2>
            <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted-foreground">
              <span>{connector ? `To ${connector.name} (${targetTypeName(connector.catalog_key)})` : 'Its connector was deleted'}</span>
              <DraftedBy publication={publication} />
              <time dateTime={publication.created_at} title={formatDate(publication.created_at, true)}>
                {formatRelativeTime(publication.created_at, now)}
              </time>
            </p>
          </div>
          <Badge variant={state.variant}>
            {publication.state === 'approved' && <Spinner className="size-3" />}
            {state.label}
          </Badge>
        </header>

        <p className="line-clamp-3 text-sm whitespace-pre-line break-words text-muted-foreground">{publication.text}</p>
        {(publication.chart || publication.table) && (
          <p className="flex flex-wrap gap-3 text-xs text-muted-foreground">
            {publication.chart && (
              <span className="flex items-center gap-1">
                <Image aria-hidden className="size-3.5" />
                Chart attached
              </span>
            )}
            {publication.table && (
              <span className="flex items-center gap-1">
                <Table2 aria-hidden className="size-3.5" />
                Table of {publication.table.rows.length} {publication.table.rows.length === 1 ? 'row' : 'rows'}
              </span>
            )}
          </p>
        )}

        <Outcome publication={publication} />

        {showPreview && connector && publication.state !== 'published' && (
          <StoredPreview membershipId={membershipId} publication={publication} connectorId={connector.id} />
        )}

        <div className="flex flex-wrap items-center gap-2">
          {publication.state === 'pending_approval' && publication.can.approve && (
            <>
              <Button size="sm" onClick={() => void act('approve')} loading={busy === 'approve'} disabled={busy !== null}>
                Approve and publish
              </Button>
              <Button variant="outline" size="sm" onClick={() => setDialog('reject')} disabled={busy !== null}>
                Reject
              </Button>
            </>
          )}
          {publication.state === 'failed' && publication.can.approve && (
            <Button size="sm" onClick={() => void act('approve')} loading={busy === 'approve'} disabled={busy !== null}>
              Retry
            </Button>
          )}
          {publication.state === 'draft' && publication.can.edit && (
            <Button size="sm" onClick={() => void act('submit')} loading={busy === 'submit'} disabled={busy !== null}>
              <Send aria-hidden />
              Send for approval
            </Button>
          )}
          {(publication.state === 'draft' || publication.state === 'pending_approval') && publication.can.edit && (
            <Button variant="outline" size="sm" onClick={() => setDialog('edit')} disabled={busy !== null}>
              <Pencil aria-hidden />
              Edit
            </Button>
          )}
          {connector && publication.state !== 'published' && (
            <Button variant="ghost" size="sm" aria-expanded={showPreview} onClick={() => setShowPreview((shown) => !shown)}>
              {showPreview ? 'Hide preview' : 'Preview'}
            </Button>
          )}
          {publication.state === 'pending_approval' && !publication.can.approve && <p className="text-xs text-muted-foreground">An owner or admin of {domain.tenant_name} approves it.</p>}
        </div>
      </article>
      {dialog === 'edit' && (
        <PublishDialog
          open
          onOpenChange={(open) => !open && setDialog(null)}
          membershipId={membershipId}
          source={publication.source}
          editing={publication}
          draft={{ title: publication.title, text: publication.text, chart: publication.chart, table: publication.table, attachChart: publication.chart !== null, attachTable: publication.table !== null }}
          onSaved={onChange}
        />
      )}
      <RejectDialog open={dialog === 'reject'} onOpenChange={(open) => !open && setDialog(null)} membershipId={membershipId} publication={publication} onRejected={onChange} />
    </li>
  );
}

function DraftedBy({ publication }: { publication: Publication }) {
  const { drafted_by: by } = publication;
  if (by.via_agent) {
    return (
      <span className="flex items-center gap-1">
        <Bot aria-hidden className="size-3.5" />
        Drafted by the agent{by.name ? ` for ${by.name}` : ''}
      </span>
    );
  }
  if (publication.source.kind === 'schedule') return <span>Drafted by a schedule</span>;
  return <span>Drafted by {by.name ?? 'someone'}</span>;
}

/** What came of it: the post, the error, the reason it was rejected, or that it is being published. */
function Outcome({ publication }: { publication: Publication }) {
  switch (publication.state) {
    case 'approved':
      return (
        <p role="status" className="flex items-center gap-2 text-sm">
          <Spinner className="size-4" />
          Publishing to {publication.connector?.name ?? 'the connector'}…{publication.attempts > 1 && ` (attempt ${publication.attempts})`}
        </p>
      );
    case 'published':
      return (
        <div className="grid gap-1 text-sm">
          {publication.external_url ? (
            <a href={publication.external_url} target="_blank" rel="noopener noreferrer" className="inline-flex w-fit items-center gap-1.5 font-medium underline underline-offset-4">
              View the post
              <ExternalLink aria-hidden className="size-3.5" />
            </a>
          ) : (
            <p>Published{publication.external_id ? ` (id ${publication.external_id})` : ''}.</p>
          )}
          <p className="text-xs text-muted-foreground">
            {publication.approved_by?.name ? `Approved by ${publication.approved_by.name}` : 'Approved'}
            {publication.published_at && (
              <>
                {', published '}
                <time dateTime={publication.published_at}>{formatDate(publication.published_at, true)}</time>
              </>
            )}
          </p>
        </div>
      );
    case 'failed':
      return (
        <p role="alert" className="flex items-start gap-2 text-sm text-destructive">
          <CircleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
          <span className="break-words">{publication.error ?? 'Publishing failed.'}</span>
        </p>
      );
    case 'rejected':
      return (
        <p className="text-sm break-words">
          <span className="font-medium">Rejected{publication.approved_by?.name ? ` by ${publication.approved_by.name}` : ''}</span>
          {publication.error ? `: ${publication.error}` : '.'}
        </p>
      );
    default:
      return null;
  }
}

function StoredPreview({ membershipId, publication, connectorId }: { membershipId: string; publication: Publication; connectorId: string }) {
  const preview = useResource(
    useCallback(
      (signal: AbortSignal) =>
        publicationsApi.preview(membershipId, { connector_id: connectorId, title: publication.title, text: publication.text, table: publication.table, has_chart: publication.chart !== null }, { signal }),
      [membershipId, connectorId, publication.title, publication.text, publication.table, publication.chart],
    ),
  );
  return <PreviewFrame preview={preview.data ?? null} error={preview.error?.message ?? null} label={`Preview of ${publication.title}`} />;
}

function RejectDialog({ open, onOpenChange, membershipId, publication, onRejected }: { open: boolean; onOpenChange: (open: boolean) => void; membershipId: string; publication: Publication; onRejected: (next: Publication) => void }) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const next = await publicationsApi.reject(membershipId, publication.id, reason.trim() || undefined);
      onRejected(next);
      toast.success(`Rejected “${publication.title}”`);
      onOpenChange(false);
      setReason('');
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open={open} onOpenChange={(next) => !busy && onOpenChange(next)}>
      <DialogContent>
        <form noValidate onSubmit={(event) => void submit(event)} className="grid gap-4">
          <DialogHeader>
            <DialogTitle>Reject “{publication.title}”?</DialogTitle>
            <DialogDescription>It is not published. Whoever drafted it sees the reason.</DialogDescription>
          </DialogHeader>
          <FormField label="Reason (optional)">
            <Textarea value={reason} rows={3} maxLength={500} onChange={(event) => setReason(event.target.value)} />
          </FormField>
          {error && <FormErrorAlert error={error} />}
          <DialogFooter>
            <Button variant="outline" onClick={() => onOpenChange(false)} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" variant="destructive" loading={busy}>
              Reject
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
