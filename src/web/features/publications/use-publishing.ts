import type { Publication } from '@shared/publications';
import { useEffect } from 'react';
import { publicationsApi } from '@/api/publications';
import { isSettled } from './compose';

const POLL_MS = 1000;

/**
 * While a publication is being published (`approved`), asks for it every
 * second and hands each answer on, until it is published or failed. A failed
 * ask is retried at the next tick: the publishing itself goes on regardless.
 */
export function usePublishingProgress(membershipId: string, publication: Publication, onChange: (next: Publication) => void): void {
  const { id, state } = publication;
  useEffect(() => {
    if (isSettled(state)) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const abort = new AbortController();
    const tick = () => {
      publicationsApi.get(membershipId, id, { signal: abort.signal }).then(
        (next) => {
          if (stopped) return;
          if (next.state !== state || isSettled(next.state)) onChange(next);
          if (!isSettled(next.state)) timer = setTimeout(tick, POLL_MS);
        },
        () => {
          if (!stopped) timer = setTimeout(tick, POLL_MS);
        },
      );
    };
    timer = setTimeout(tick, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
      abort.abort();
    };
  }, [membershipId, id, state, onChange]);
}
