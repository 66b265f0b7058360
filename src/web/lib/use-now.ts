import { useEffect, useState } from 'react';

/** The current time, refreshed every `intervalMs`: for "5 minutes ago" labels that must not go stale. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
