import type { StateCreator } from 'zustand';
import { toast } from 'sonner';
import type { TenantSummary } from '@shared/tenants';
import { asApiError, isApiError, type ApiError } from '@/api/client';
import { tenantsApi } from '@/api/tenants';
import type { AppState } from './app-store';
import { chooseActiveDomain } from './choose-active-domain';

export type DomainsStatus = 'idle' | 'loading' | 'ready' | 'error';

/**
 * The CommCare domains the signed-in user can work in, and the one they are
 * working in. Named `domains…` because the store is flat: the session slice
 * already owns `status` and `error`.
 */
export interface DomainSlice {
  /** Most recently selected first, as the server orders them. */
  domains: TenantSummary[];
  /** The membership id (`TenantSummary.id`) of the active domain; null when none is chosen. */
  activeDomainId: string | null;
  /** `idle` until the first load; a later refresh keeps `ready` and the list on screen. */
  domainsStatus: DomainsStatus;
  /** Why the first load failed; a failed refresh keeps the list and says so in a toast. */
  domainsError: ApiError | null;
  /** Loads the list, or reloads it after a domain was added, renamed or removed. */
  fetchDomains: () => Promise<void>;
  /**
   * Switches domain at once and tells the server, which remembers the choice
   * across reloads; if the server refuses, switches back and says why.
   * Resolves to whether the switch stuck.
   */
  setActiveDomain: (membershipId: string) => Promise<boolean>;
  /** Forgets everything, for sign-out or another user signing in. */
  resetDomains: () => void;
}

const initialState = {
  domains: [],
  activeDomainId: null,
  domainsStatus: 'idle',
  domainsError: null,
} satisfies Partial<DomainSlice>;

export const createDomainSlice: StateCreator<AppState, [], [], DomainSlice> = (set, get) => {
  // Only the newest request may write: a slow answer to an older one (or one
  // for a user who has since signed out) must not overwrite fresher state.
  let latestRequest = 0;
  let firstLoad: Promise<void> | null = null;

  /** Records an automatic choice on the server; if that fails nobody needs to know, as the next load makes it again. */
  async function rememberChoice(membershipId: string) {
    try {
      await tenantsApi.selectDomain(membershipId);
    } catch (error) {
      console.warn('Could not remember the domain choice', error);
    }
  }

  async function load(): Promise<void> {
    const request = ++latestRequest;
    const refreshing = get().domainsStatus === 'ready';
    if (!refreshing) set({ domainsStatus: 'loading', domainsError: null });
    try {
      const domains = await tenantsApi.listDomains();
      if (request !== latestRequest) return;
      const { activeDomainId, autoSelected } = chooseActiveDomain(domains, get().activeDomainId);
      set({ domains, activeDomainId, domainsStatus: 'ready', domainsError: null });
      // Resolve only once the server knows, so whoever awaits the load can rely on the choice surviving a reload.
      if (autoSelected) await rememberChoice(autoSelected);
    } catch (error) {
      if (request !== latestRequest) return;
      const apiError = asApiError(error);
      if (refreshing) toast.error("Couldn't refresh your domains", { description: apiError.message });
      else set({ domainsStatus: 'error', domainsError: apiError });
    }
  }

  return {
    ...initialState,

    fetchDomains: () => {
      // Several parts of the page may ask for the first load at once; they share one request.
      if (get().domainsStatus === 'loading' && firstLoad) return firstLoad;
      const loading = load();
      if (get().domainsStatus === 'loading') firstLoad = loading;
      return loading;
    },

    setActiveDomain: async (membershipId) => {
      const previous = get().activeDomainId;
      const domain = get().domains.find((d) => d.id === membershipId);
      if (!domain) return false;
      if (membershipId === previous) return true;

      set({ activeDomainId: membershipId });
      try {
        await tenantsApi.selectDomain(membershipId);
      } catch (error) {
        // Roll back only if nothing else was chosen meanwhile.
        if (get().activeDomainId === membershipId) set({ activeDomainId: previous });
        toast.error(`Couldn't switch to ${domain.tenant_name}`, { description: asApiError(error).message });
        // Removed in another tab or device: show the list as it is now.
        if (isApiError(error) && error.status === 404) void get().fetchDomains();
        return false;
      }
      const selectedAt = new Date().toISOString();
      set((state) => ({
        domains: state.domains.map((d) => (d.id === membershipId ? { ...d, last_selected_at: selectedAt } : d)),
      }));
      return true;
    },

    resetDomains: () => {
      latestRequest++;
      firstLoad = null;
      set(initialState);
    },
  };
};
