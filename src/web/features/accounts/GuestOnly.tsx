import { useEffect, useRef, useState } from 'react';
import { Navigate, Outlet, useSearchParams } from 'react-router';
import { FullPageLoader } from '@/components/full-page-loader';
import { nextPathFrom } from './nextPath';
import { continueOAuth, oauthAsksForSignIn, oauthContinuation } from './oauth-continuation';
import type { SessionStatus } from '@/store/session-slice';
import { useSessionStatus } from './useSessionStatus';

/**
 * Guards the sign-in and sign-up pages: a signed-in user has nothing to do there and goes on into the app,
 * or, when an MCP client's authorization request brought them here, on with that request.
 */
export function GuestOnly() {
  const status = useSessionStatus();
  const [searchParams] = useSearchParams();
  const arrivedSignedIn = useArrivedSignedIn(status);

  switch (status) {
    case 'unknown':
    case 'loading':
      return <FullPageLoader label="Loading Scout" />;
    case 'signedIn': {
      const continuation = oauthContinuation(searchParams);
      if (!continuation) return <Navigate to={nextPathFrom(searchParams.get('next'))} replace />;
      // Signed in on this page: the page sends the browser on itself (after a fresh sign-in, without the login prompt).
      if (!arrivedSignedIn) return <FullPageLoader label="Continuing" />;
      // The client asked for a fresh sign-in, which an existing session does not give it.
      if (oauthAsksForSignIn(searchParams)) return <Outlet />;
      return <ContinueOAuth to={continuation} />;
    }
    case 'signedOut':
    case 'error':
      // A failed session check need not stop anyone signing in; the form shows its own error if that fails too.
      return <Outlet />;
  }
}

/** Whether the session was already there when the page first knew (rather than started on this page); null until then. */
function useArrivedSignedIn(status: SessionStatus): boolean | null {
  const settled = status === 'signedIn' || status === 'signedOut' || status === 'error';
  const [arrived, setArrived] = useState<boolean | null>(null);
  if (arrived === null && settled) setArrived(status === 'signedIn');
  return arrived ?? (settled ? status === 'signedIn' : null);
}

/** A full page navigation to the authorization server, which answers with redirects rather than a page of this app. */
function ContinueOAuth({ to }: { to: string }) {
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    continueOAuth(to);
  }, [to]);
  return <FullPageLoader label="Continuing" />;
}
