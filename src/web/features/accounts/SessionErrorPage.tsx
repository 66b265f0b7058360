import { CloudOff } from 'lucide-react';
import { DocumentTitle } from '@/components/document-title';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { useAppStore } from '@/store/app-store';

/** Shown instead of the app when Scout could not tell whether anyone is signed in. */
export function SessionErrorPage() {
  const error = useAppStore((state) => state.error);
  const loadSession = useAppStore((state) => state.loadSession);

  return (
    <main className="grid min-h-svh place-items-center p-6">
      <DocumentTitle>Couldn't load</DocumentTitle>
      <EmptyState
        headingLevel={1}
        className="border-none"
        icon={CloudOff}
        title="Scout couldn't load"
        description={
          <>
            {error?.message ?? 'Something went wrong while loading Scout.'}
            {error?.requestId && (
              <span className="mt-2 block text-xs">
                Reference: <code className="font-mono">{error.requestId}</code>
              </span>
            )}
          </>
        }
        action={<Button onClick={() => void loadSession()}>Try again</Button>}
      />
    </main>
  );
}
