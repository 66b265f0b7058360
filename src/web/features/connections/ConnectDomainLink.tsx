import { Link2 } from 'lucide-react';
import { Link } from 'react-router';
import { Button } from '@/components/ui/button';

/** The first step for every page that needs data: connecting a CommCare domain. */
export function ConnectDomainLink() {
  return (
    <Button asChild>
      <Link to="/onboarding">
        <Link2 aria-hidden />
        Connect a CommCare domain
      </Link>
    </Button>
  );
}
