import { Navigate, Outlet, useSearchParams } from 'react-router';
import { FullPageLoader } from '@/components/full-page-loader';
import { nextPathFrom } from './nextPath';
import { useSessionStatus } from './useSessionStatus';

/** Guards the sign-in and sign-up pages: a signed-in user has nothing to do there and goes on into the app. */
export function GuestOnly() {
  const status = useSessionStatus();
  const [searchParams] = useSearchParams();

  switch (status) {
    case 'unknown':
    case 'loading':
      return <FullPageLoader label="Loading Scout" />;
    case 'signedIn':
      return <Navigate to={nextPathFrom(searchParams.get('next'))} replace />;
    case 'signedOut':
    case 'error':
      // A failed session check need not stop anyone signing in; the form shows its own error if that fails too.
      return <Outlet />;
  }
}
