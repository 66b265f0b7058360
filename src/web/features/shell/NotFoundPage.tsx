import { MapPinOff } from 'lucide-react';
import { Link, useLocation } from 'react-router';
import { DocumentTitle } from '@/components/document-title';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';

export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <>
      <DocumentTitle>Page not found</DocumentTitle>
      <EmptyState
        headingLevel={1}
        icon={MapPinOff}
        title="Page not found"
        description={
          <>
            There's nothing at <code className="font-mono break-all text-foreground">{pathname}</code>. The link may be
            out of date, or the address mistyped.
          </>
        }
        action={
          <Button asChild variant="outline">
            <Link to="/chat">Go to Chat</Link>
          </Button>
        }
      />
    </>
  );
}
