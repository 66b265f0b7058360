import type { StateCreator } from 'zustand';
import { ERROR_CODES } from '@shared/errors';
import type { PublicUser, SessionResponse, SignInInput, SignUpInput } from '@shared/accounts';
import { api, ApiError, isApiError } from '@/api/client';
import type { AppState } from './app-store';

export type SessionStatus = 'unknown' | 'loading' | 'signedIn' | 'signedOut' | 'error';

export interface SessionSlice {
  user: PublicUser | null;
  /** `unknown` until the first check of the session cookie; `error` when that check could not be answered. */
  status: SessionStatus;
  error?: ApiError;
  /** Asks the server who is signed in. */
  loadSession: () => Promise<void>;
  /** Rejects with the `ApiError` so the form can show it; the session status is left as it was. */
  signIn: (input: SignInInput) => Promise<void>;
  /** Rejects with the `ApiError` so the form can show it; the session status is left as it was. */
  signUp: (input: SignUpInput) => Promise<void>;
  /** Rejects with the `ApiError` when the server could not end the session, which then stays signed in. */
  signOut: () => Promise<void>;
  /** After the Account page changed the user's name: the sidebar and menus show the new one. */
  userUpdated: (user: PublicUser) => void;
  /**
   * True from asking the server to delete the account until it answers: requests the page makes
   * meanwhile may find the session already gone, and that is no reason to come back after signing in.
   */
  deletingAccount: boolean;
  accountDeletion: (state: 'started' | 'refused') => void;
  /** After the account was deleted on the server: nothing of it stays in the page. */
  accountDeleted: () => void;
}

export const createSessionSlice: StateCreator<AppState, [], [], SessionSlice> = (set, get) => {
  const signedIn = ({ user }: SessionResponse) => {
    // Another account in the same tab must not see the previous one's domains, even for a moment.
    if (get().user?.id !== user.id) get().resetDomains();
    set({ user, status: 'signedIn', error: undefined, deletingAccount: false });
  };
  const signedOut = () => {
    get().resetDomains();
    set({ user: null, status: 'signedOut', error: undefined });
  };

  return {
    user: null,
    status: 'unknown',
    error: undefined,

    loadSession: async () => {
      if (get().status === 'loading') return;
      set({ status: 'loading', error: undefined });
      try {
        signedIn(await api.get<SessionResponse>('/api/me'));
      } catch (error) {
        if (isUnauthenticated(error)) signedOut();
        else set({ user: null, status: 'error', error: asApiError(error) });
      }
    },

    signIn: async (input) => {
      signedIn(await api.post<SessionResponse>('/api/auth/sign-in/email', input));
    },

    signUp: async (input) => {
      signedIn(await api.post<SessionResponse>('/api/auth/sign-up/email', input));
    },

    signOut: async () => {
      try {
        await api.post('/api/auth/sign-out', {});
      } catch (error) {
        // The session already ended on the server (expired, or signed out in another tab): that is the goal.
        if (!isUnauthenticated(error)) throw error;
      }
      signedOut();
    },

    userUpdated: (user) => {
      if (get().user?.id === user.id) set({ user });
    },

    deletingAccount: false,
    accountDeletion: (state) => set({ deletingAccount: state === 'started' }),
    accountDeleted: () => signedOut(),
  };
};

function isUnauthenticated(error: unknown): boolean {
  return isApiError(error) && (error.status === 401 || error.code === ERROR_CODES.unauthenticated);
}

function asApiError(error: unknown): ApiError {
  if (isApiError(error)) return error;
  // A bug rather than a failed request: keep it visible to developers, and give the user a way out.
  console.error(error);
  return new ApiError({ status: 0, code: 'CLIENT_ERROR', message: 'Something went wrong while loading Scout.' });
}
