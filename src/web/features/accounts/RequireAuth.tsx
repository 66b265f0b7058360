import { Navigate, Outlet, useLocation } from 'react-router';
import { useAppStore } from '@/store/app-store';
import { FullPageLoader } from '@/components/full-page-loader';
import { accountPageHref } from './nextPath';
import { SessionErrorPage } from './SessionErrorPage';
import { useSessionStatus } from './useSessionStatus';

/** Renders its child routes for a signed-in user; sends anyone else to sign in and back here afterwards. */
export function RequireAuth() {
  const status = useSessionStatus();
  const location = useLocation();
  const deletingAccount = useAppStore((state) => state.deletingAccount);

  switch (status) {
    case 'unknown':
    case 'loading':
      return <FullPageLoader label="Loading Scout" />;
    case 'error':
      return <SessionErrorPage />;
    case 'signedOut':
      // An account being deleted has no page to come back to.
      if (deletingAccount) return <Navigate to="/sign-in" replace />;
      return <Navigate to={accountPageHref('/sign-in', `${location.pathname}${location.search}`)} replace />;
    case 'signedIn':
      return <Outlet />;
  }
}
