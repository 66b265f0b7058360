import type { PublicationPreview } from '@shared/publications';
import { CircleAlert, TriangleAlert } from 'lucide-react';
import { Skeleton } from '@/components/ui/skeleton';
import { cn } from '@/lib/cn';

/** The catalog's names for the types that publish, for lists that only carry the key. */
const TARGET_NAMES: Record<string, string> = { wordpress: 'WordPress', twitter: 'X', linkedin: 'LinkedIn', medium: 'Medium' };

export function targetTypeName(catalogKey: string): string {
  return TARGET_NAMES[catalogKey] ?? catalogKey;
}

/**
 * The post's HTML in a document of its own: no scripts, no network (the
 * chart image isn't uploaded yet, so it shows as its alt text), styled like a
 * plain blog page so the person sees structure, not Scout's look.
 */
function previewDocument(html: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<style>
body{font:15px/1.55 Georgia,'Times New Roman',serif;color:#1f2328;margin:16px;overflow-wrap:anywhere}
h1{font:600 22px/1.25 system-ui,sans-serif;margin:0 0 12px}
img{display:block;width:100%;min-height:96px;border:1px dashed #94a3b8;border-radius:6px;background:#f1f5f9;color:#475569;font:13px system-ui,sans-serif;padding:8px;box-sizing:border-box}
table{border-collapse:collapse;font:13px system-ui,sans-serif;margin:12px 0;display:block;overflow-x:auto}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left}
th{background:#f6f8fa}
</style></head><body>${html}</body></html>`;
}

interface PreviewFrameProps {
  preview: PublicationPreview | null;
  loading?: boolean;
  error?: string | null;
  /** What the preview is of, for its accessible name. */
  label?: string;
  className?: string;
}

/** How the target will show a publication: WordPress's HTML sandboxed in a frame, X's and LinkedIn's text as posted with its length. */
export function PreviewFrame({ preview, loading = false, error = null, label = 'Preview', className }: PreviewFrameProps) {
  if (error) {
    return (
      <p role="alert" className={cn('flex items-start gap-2 rounded-md border border-dashed p-3 text-sm text-muted-foreground', className)}>
        <CircleAlert aria-hidden className="mt-0.5 size-4 shrink-0 text-destructive" />
        <span className="break-words">Couldn't preview it: {error}</span>
      </p>
    );
  }
  if (!preview) return <Skeleton role="status" aria-label="Loading the preview" className={cn('h-48 rounded-md', className)} />;
  const over = preview.limit !== null && preview.length > preview.limit;
  return (
    <div className={cn('grid gap-2', loading && 'opacity-60 transition-opacity', className)} aria-busy={loading || undefined}>
      {preview.format === 'html' ? (
        // sandbox="" : no scripts, no forms, no same-origin access; the CSP inside stops any request.
        <iframe title={label} sandbox="" srcDoc={previewDocument(preview.body)} className="h-72 w-full rounded-md border bg-white" />
      ) : (
        <div role="document" aria-label={label} className="max-h-72 overflow-auto rounded-md border bg-card p-3 text-sm whitespace-pre-wrap break-words">
          {preview.body}
        </div>
      )}
      {preview.limit !== null && (
        <p className={cn('text-xs tabular-nums', over ? 'font-medium text-destructive' : 'text-muted-foreground')}>
          {preview.length} / {preview.limit} characters{over && ' — too long for this target'}
        </p>
      )}
      {preview.warnings.length > 0 && (
        <ul className="grid gap-1" aria-label="Warnings">
          {preview.warnings.map((warning) => (
            <li key={warning} className="flex items-start gap-1.5 text-xs text-amber-700 dark:text-amber-400">
              <TriangleAlert aria-hidden className="mt-0.5 size-3.5 shrink-0" />
              {warning}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
