import type { ChartSpec } from '@shared/charts/spec';
import type { PublishTarget } from '@shared/connectors';
import { PUBLICATION_TEXT_MAX, PUBLICATION_TITLE_MAX, type Publication, type PublicationPreview, type PublicationSourceKind, type TableExcerpt } from '@shared/publications';
import { Megaphone, Plug } from 'lucide-react';
import { useCallback, useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { toast } from 'sonner';
import { asApiError, type ApiError } from '@/api/client';
import { connectorsApi } from '@/api/connectors';
import { publicationsApi } from '@/api/publications';
import { FormErrorAlert } from '@/components/form-error-alert';
import { LoadErrorAlert } from '@/components/load-error-alert';
import { SelectField } from '@/components/select-field';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { SelectItem } from '@/components/ui/select';
import { Skeleton } from '@/components/ui/skeleton';
import { Textarea } from '@/components/ui/textarea';
import { LazyChart } from '@/features/charts/LazyChart';
import { useMediaQuery } from '@/lib/use-media-query';
import { useResource } from '@/lib/use-resource';
import { useActiveDomain } from '@/store/active-domain';
import { publicationTitle } from './compose';
import { PreviewFrame, targetTypeName } from './PreviewFrame';

/** What the dialog starts from: a summary of its source the person edits, and what may be attached. */
export interface ComposeDraft {
  title: string;
  text: string;
  /** The source's chart (a Vega-Lite spec with its data), offered as "Attach the chart". */
  chart: ChartSpec | null;
  /** The first rows of the source's result, offered as "Attach a table excerpt". */
  table: TableExcerpt | null;
  attachChart?: boolean;
  attachTable?: boolean;
}

interface PublishDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  membershipId: string;
  source: { kind: PublicationSourceKind; id: string | null };
  draft: ComposeDraft;
  /** Editing this publication (a draft, or one waiting for approval) instead of making a new one. */
  editing?: Publication;
  onSaved?: (publication: Publication) => void;
}

/** Compose a publication: where it goes, its title and text, what is attached, and a live preview as the target will show it. */
export function PublishDialog({ open, onOpenChange, ...props }: PublishDialogProps) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-h-[calc(100svh-2rem)] overflow-y-auto sm:max-w-4xl">
        {/* Mounted only while open, so each opening starts from the draft it is given. */}
        {open && <ComposeForm {...props} onClose={() => onOpenChange(false)} />}
      </DialogContent>
    </Dialog>
  );
}

/** "Publish…" for who may draft publications; the draft is made when the dialog opens (it reads the result on screen then). */
export function PublishButton({ source, makeDraft, className, size = 'sm' }: { source: PublishDialogProps['source']; makeDraft: () => ComposeDraft; className?: string; size?: 'sm' | 'default' }) {
  const domain = useActiveDomain();
  const [draft, setDraft] = useState<ComposeDraft | null>(null);
  if (!domain?.can['publications.draft']) return null;
  return (
    <>
      <Button variant="outline" size={size} className={className} onClick={() => setDraft(makeDraft())}>
        <Megaphone aria-hidden />
        Publish
      </Button>
      {draft && <PublishDialog open onOpenChange={(next) => !next && setDraft(null)} membershipId={domain.id} source={source} draft={draft} />}
    </>
  );
}

const PREVIEW_DELAY_MS = 400;

interface PreviewState {
  preview: PublicationPreview | null;
  loading: boolean;
  error: string | null;
}

/** The target's preview of the content, asked for a moment after typing stops; a newer ask cancels the one before. */
function useTargetPreview(membershipId: string, input: { connector_id: string; title: string; text: string; table: TableExcerpt | null; has_chart: boolean } | null): PreviewState {
  // The answer and what it answered: the preview is loading while the content differs from it.
  const [answer, setAnswer] = useState<{ key: string; preview: PublicationPreview | null; error: string | null }>({ key: '', preview: null, error: null });
  const key = input ? JSON.stringify(input) : '';
  useEffect(() => {
    if (!key) return;
    const abort = new AbortController();
    const timer = setTimeout(() => {
      publicationsApi.preview(membershipId, JSON.parse(key) as Parameters<typeof publicationsApi.preview>[1], { signal: abort.signal }).then(
        (preview) => setAnswer({ key, preview, error: null }),
        (error: unknown) => {
          if (!abort.signal.aborted) setAnswer({ key, preview: null, error: asApiError(error).message });
        },
      );
    }, PREVIEW_DELAY_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [membershipId, key]);
  return { preview: answer.preview, error: answer.key === key ? answer.error : null, loading: answer.key !== key };
}

function ComposeForm({ membershipId, source, draft, editing, onSaved, onClose }: Omit<PublishDialogProps, 'open' | 'onOpenChange'> & { onClose: () => void }) {
  const navigate = useNavigate();
  const targets = useResource(useCallback((signal: AbortSignal) => connectorsApi.publishTargets(membershipId, { signal }), [membershipId]));
  const [targetId, setTargetId] = useState(editing?.connector?.id ?? '');
  const [title, setTitle] = useState(() => publicationTitle(draft.title));
  const [text, setText] = useState(draft.text);
  const [attachChart, setAttachChart] = useState(draft.attachChart ?? draft.chart !== null);
  const [attachTable, setAttachTable] = useState(draft.attachTable ?? false);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<'draft' | 'submit' | null>(null);
  const chartId = useId();
  const tableId = useId();

  // The first target is chosen for a new publication; one that is no longer a target (deactivated) isn't kept.
  const chosen = targets.data?.find((target) => target.id === targetId) ?? (editing ? undefined : targets.data?.[0]);
  const table = attachTable ? draft.table : null;
  const previewInput = useMemo(
    () => (chosen && title.trim() ? { connector_id: chosen.id, title: title.trim(), text, table, has_chart: attachChart && draft.chart !== null } : null),
    [chosen, title, text, table, attachChart, draft.chart],
  );
  const preview = useTargetPreview(membershipId, previewInput);

  async function save(submit: boolean) {
    const found: Record<string, string[]> = {};
    if (!chosen) found.connector_id = ['Choose where to publish it'];
    if (!title.trim()) found.title = ['Give it a title'];
    if (!text.trim()) found.text = ['Write what it says'];
    setErrors(found);
    if (Object.keys(found).length > 0 || !chosen) return;
    setBusy(submit ? 'submit' : 'draft');
    setFormError(null);
    const content = { connector_id: chosen.id, title: title.trim(), text, chart: attachChart ? draft.chart : null, table };
    try {
      const saved = editing
        ? await publicationsApi.update(membershipId, editing.id, { ...content, ...(submit ? { submit: true } : {}) })
        : await publicationsApi.create(membershipId, { ...content, source: { kind: source.kind, id: source.id }, submit });
      toast.success(submit ? `Sent “${saved.title}” for approval` : `Saved “${saved.title}” as a draft`, {
        description: submit ? `An owner or admin approves it before it goes to ${chosen.name}.` : undefined,
        action: { label: 'Open Publications', onClick: () => void navigate('/publications') },
      });
      onSaved?.(saved);
      onClose();
    } catch (caught) {
      const apiError = asApiError(caught);
      if (apiError.hasFieldErrors) setErrors(apiError.fields);
      setFormError(apiError);
      setBusy(null);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void save(true);
  }

  const heading = editing ? `Edit “${editing.title}”` : 'Publish';
  return (
    <form noValidate onSubmit={submit} className="grid min-w-0 gap-4">
      <DialogHeader>
        <DialogTitle>{heading}</DialogTitle>
        <DialogDescription>Nothing is posted until an owner or admin of this domain approves it on the Publications page.</DialogDescription>
      </DialogHeader>
      {targets.status === 'loading' && <Skeleton role="status" aria-label="Loading where to publish" className="h-40 rounded-md" />}
      {targets.status === 'error' && <LoadErrorAlert title="Couldn't load where to publish" error={targets.error} onRetry={() => void targets.reload()} />}
      {targets.status === 'ready' && targets.data.length === 0 && <NoTargets onNavigate={onClose} />}
      {targets.status === 'ready' && targets.data.length > 0 && (
        <div className="grid min-w-0 gap-6 lg:grid-cols-2">
          <div className="grid min-w-0 content-start gap-4">
            <div className="grid gap-2">
              <SelectField label="Publish to" value={chosen?.id ?? ''} onValueChange={setTargetId} placeholder="Choose a connector">
                {targets.data.map((target: PublishTarget) => (
                  <SelectItem key={target.id} value={target.id}>
                    {target.name} ({targetTypeName(target.catalog_key)})
                  </SelectItem>
                ))}
              </SelectField>
              {errors.connector_id && <p className="text-sm text-destructive">{errors.connector_id.join(' ')}</p>}
            </div>
            <FormField label="Title" errors={errors.title}>
              <Input value={title} maxLength={PUBLICATION_TITLE_MAX} onChange={(event) => setTitle(event.target.value)} />
            </FormField>
            <FormField label="Text" errors={errors.text} hint="Plain text; a blank line starts a new paragraph.">
              <Textarea value={text} rows={9} maxLength={PUBLICATION_TEXT_MAX} onChange={(event) => setText(event.target.value)} className="font-sans" />
            </FormField>
            {draft.chart && (
              <label htmlFor={chartId} className="flex items-center gap-2 text-sm">
                <input id={chartId} type="checkbox" checked={attachChart} onChange={(event) => setAttachChart(event.target.checked)} className="size-4 accent-primary" />
                Attach the chart
              </label>
            )}
            {draft.table && draft.table.rows.length > 0 && (
              <label htmlFor={tableId} className="flex items-center gap-2 text-sm">
                <input id={tableId} type="checkbox" checked={attachTable} onChange={(event) => setAttachTable(event.target.checked)} className="size-4 accent-primary" />
                Attach a table excerpt ({draft.table.rows.length === 1 ? 'its row' : `first ${draft.table.rows.length} rows`})
              </label>
            )}
          </div>
          <section aria-label="Preview" className="grid min-w-0 content-start gap-2">
            <h3 className="text-sm font-medium">Preview{chosen && <span className="font-normal text-muted-foreground"> · as {targetTypeName(chosen.catalog_key)} shows it</span>}</h3>
            {previewInput ? (
              <PreviewFrame preview={preview.preview} loading={preview.loading} error={preview.error} label={`Preview on ${chosen?.name ?? 'the target'}`} />
            ) : (
              <p className="rounded-md border border-dashed p-6 text-center text-sm text-muted-foreground">Give it a title to see the preview.</p>
            )}
            {attachChart && draft.chart && <AttachedChart spec={draft.chart} />}
          </section>
        </div>
      )}
      {formError && <FormErrorAlert error={formError} />}
      <DialogFooter>
        <Button variant="outline" onClick={onClose} disabled={busy !== null}>
          Cancel
        </Button>
        {targets.status === 'ready' && targets.data.length > 0 && (
          <>
            {(!editing || editing.state === 'draft') && (
              <Button variant="secondary" onClick={() => void save(false)} loading={busy === 'draft'} disabled={busy !== null}>
                Save draft
              </Button>
            )}
            <Button type="submit" loading={busy === 'submit'} disabled={busy !== null}>
              {editing?.state === 'pending_approval' ? 'Save changes' : 'Send for approval'}
            </Button>
          </>
        )}
      </DialogFooter>
    </form>
  );
}

/** The chart as it will be attached (drawn as a PNG by Scout when it is published). */
function AttachedChart({ spec }: { spec: ChartSpec }) {
  const dark = useMediaQuery('(prefers-color-scheme: dark)');
  const [, setView] = useState<unknown>(null);
  const small = useMemo<ChartSpec>(() => ({ ...spec, height: 160 }), [spec]);
  return (
    <figure className="grid gap-1 rounded-md border p-2">
      <LazyChart spec={small} scheme={dark ? 'dark' : 'light'} onView={setView} />
      <figcaption className="text-xs text-muted-foreground">Attached as an image.</figcaption>
    </figure>
  );
}

function NoTargets({ onNavigate }: { onNavigate: () => void }) {
  const canManage = useActiveDomain()?.can['connectors.manage'] ?? false;
  return (
    <div className="flex flex-col items-center gap-3 rounded-xl border border-dashed px-6 py-10 text-center">
      <Plug aria-hidden className="size-6 text-muted-foreground" />
      <p className="font-medium">No place to publish yet</p>
      <p className="max-w-sm text-sm text-muted-foreground">
        {canManage ? 'Add a WordPress site, X or LinkedIn account on the Connectors page and activate it; it shows up here.' : 'An owner or admin of this domain adds and activates WordPress, X or LinkedIn on the Connectors page.'}
      </p>
      <Button asChild variant="outline" size="sm">
        <Link to="/connectors" onClick={onNavigate}>
          Open Connectors
        </Link>
      </Button>
    </div>
  );
}
