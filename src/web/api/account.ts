import type {
  AccountDeletedResponse,
  AccountResponse,
  AccountSession,
  ChangePasswordInput,
  DeleteAccountInput,
  OtherSessionsSignedOutResponse,
  PasswordChangedResponse,
  SessionResponse,
  UpdateProfileInput,
} from '@shared/accounts';
import { api, type RequestOptions } from './client';

/** The signed-in user's own account: profile, password, sessions, and deleting it. */
export const accountApi = {
  get: (options?: RequestOptions) => api.get<AccountResponse>('/api/account', options),
  updateProfile: (input: UpdateProfileInput) => api.patch<SessionResponse>('/api/account', input),
  /** Signs out every other session; this one continues under a fresh cookie. */
  changePassword: (input: ChangePasswordInput) => api.post<PasswordChangedResponse>('/api/account/password', input),
  listSessions: (options?: RequestOptions) => api.get<AccountSession[]>('/api/account/sessions', options),
  signOutSession: (id: string) => api.delete<void>(`/api/account/sessions/${encodeURIComponent(id)}`),
  signOutOtherSessions: () => api.delete<OtherSessionsSignedOutResponse>('/api/account/sessions'),
  deleteAccount: (input: DeleteAccountInput) => api.delete<AccountDeletedResponse>('/api/account', undefined, input),
};
