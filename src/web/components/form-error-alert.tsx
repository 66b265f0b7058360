import { CircleAlert } from 'lucide-react';
import type { ApiError } from '@/api/client';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { LinkedMessage } from './linked-message';

/** A failure that belongs to the whole form rather than one field. */
export function FormErrorAlert({ error }: { error: ApiError }) {
  return (
    <Alert variant="destructive">
      <CircleAlert aria-hidden />
      <AlertDescription>
        <p>
          <LinkedMessage text={error.message} />
        </p>
        {error.requestId && (
          <p className="text-xs text-muted-foreground">
            Reference: <code className="font-mono">{error.requestId}</code>
          </p>
        )}
      </AlertDescription>
    </Alert>
  );
}
