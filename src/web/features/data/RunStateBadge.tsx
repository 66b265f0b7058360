import type { RunState } from '@shared/warehouse';
import { CircleAlert, CircleCheck, CircleSlash, LoaderCircle } from 'lucide-react';
import { Badge } from '@/components/ui/badge';

/** How a sync went (or is going), as a badge. */
export function RunStateBadge({ state }: { state: RunState }) {
  switch (state) {
    case 'completed':
      return (
        <Badge variant="success">
          <CircleCheck aria-hidden />
          Completed
        </Badge>
      );
    case 'failed':
      return (
        <Badge variant="destructive">
          <CircleAlert aria-hidden />
          Failed
        </Badge>
      );
    case 'cancelled':
      return (
        <Badge variant="outline">
          <CircleSlash aria-hidden />
          Cancelled
        </Badge>
      );
    default:
      return (
        <Badge variant="secondary">
          <LoaderCircle aria-hidden className="animate-spin" />
          In progress
        </Badge>
      );
  }
}
