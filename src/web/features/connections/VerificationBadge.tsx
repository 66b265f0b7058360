import type { TenantCredentialSummary } from '@shared/tenants';
import { CircleAlert, CircleCheck, CircleDashed } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { formatDate } from './format';

/** Whether CommCare accepted this domain's credential the last time Scout checked. */
export function VerificationBadge({ connection }: { connection: Pick<TenantCredentialSummary, 'verified_at' | 'last_error'> }) {
  if (connection.last_error) {
    return (
      <Badge variant="destructive">
        <CircleAlert aria-hidden />
        Needs attention
      </Badge>
    );
  }
  if (connection.verified_at) {
    return (
      <Badge variant="success" title={`Verified with CommCare on ${formatDate(connection.verified_at, true)}`}>
        <CircleCheck aria-hidden />
        Verified {formatDate(connection.verified_at)}
      </Badge>
    );
  }
  return (
    <Badge variant="outline">
      <CircleDashed aria-hidden />
      Not verified yet
    </Badge>
  );
}
