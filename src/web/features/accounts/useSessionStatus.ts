import { useEffect } from 'react';
import { useAppStore } from '@/store/app-store';
import type { SessionStatus } from '@/store/session-slice';

/** The session status, asking the server once if nobody has yet. */
export function useSessionStatus(): SessionStatus {
  const status = useAppStore((state) => state.status);
  const loadSession = useAppStore((state) => state.loadSession);

  useEffect(() => {
    if (status === 'unknown') void loadSession();
  }, [status, loadSession]);

  return status;
}
