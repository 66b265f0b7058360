import { CloudOff } from 'lucide-react';
import type { ApiError } from '@/api/client';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

/** A section whose data failed to load: what failed, why, and a way to try again. */
export function LoadErrorAlert({ title, error, onRetry }: { title: string; error: ApiError; onRetry: () => void }) {
  return (
    <Alert variant="destructive">
      <CloudOff aria-hidden />
      <AlertTitle>{title}</AlertTitle>
      <AlertDescription>
        <p>{error.message}</p>
        <Button variant="outline" size="sm" className="mt-2" onClick={onRetry}>
          Try again
        </Button>
      </AlertDescription>
    </Alert>
  );
}
