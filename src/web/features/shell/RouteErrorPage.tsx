import { TriangleAlert } from 'lucide-react';
import { DocumentTitle } from '@/components/document-title';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';

/** The last resort when a page fails to render; the router has already logged the error. */
export function RouteErrorPage() {
  return (
    <main className="grid min-h-svh place-items-center p-6">
      <DocumentTitle>Something went wrong</DocumentTitle>
      <EmptyState
        headingLevel={1}
        className="border-none"
        icon={TriangleAlert}
        title="Something went wrong"
        description="This page stopped working unexpectedly. Reloading usually fixes it."
        action={<Button onClick={() => window.location.reload()}>Reload page</Button>}
      />
    </main>
  );
}
