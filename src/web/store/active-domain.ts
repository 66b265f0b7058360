import type { TenantSummary } from '@shared/tenants';
import { useAppStore, type AppState } from './app-store';

function selectActiveDomain(state: AppState): TenantSummary | null {
  return state.domains.find((domain) => domain.id === state.activeDomainId) ?? null;
}

/** The domain the user is working in, or null when none is chosen (or the list has not loaded). */
export function useActiveDomain(): TenantSummary | null {
  return useAppStore(selectActiveDomain);
}

/**
 * Calls `listener` whenever the active domain changes: switching in the
 * selector, the active domain being removed, signing out. Anything scoped to
 * one domain (a chat thread, say) starts over here. Inside React, keying the
 * component on `activeDomainId` does the same. Returns the unsubscribe function.
 */
export function onActiveDomainChange(listener: (activeDomainId: string | null, previousId: string | null) => void): () => void {
  return useAppStore.subscribe((state, previous) => {
    if (state.activeDomainId !== previous.activeDomainId) listener(state.activeDomainId, previous.activeDomainId);
  });
}
