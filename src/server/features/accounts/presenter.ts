import type { AccountDomain, AccountResponse, AccountSession, PublicUser, SessionResponse } from '../../../shared/accounts';
import type { SessionRecord } from './account-sessions';

interface UserLike {
  id: string;
  name: string;
  email: string;
  createdAt: Date | string;
}

/** The only place a user record becomes JSON: no session token, no hash, no internals. */
export function presentUser(user: UserLike): PublicUser {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    createdAt: new Date(user.createdAt).toISOString(),
  };
}

export function presentSession(user: UserLike): SessionResponse {
  return { user: presentUser(user) };
}

/** A session as the Account page lists it: the token is what signs a browser in, so it is never part of the answer. */
export function presentAccountSession(session: SessionRecord, currentSessionId: string): AccountSession {
  return {
    id: session.id,
    created_at: new Date(session.createdAt).toISOString(),
    last_active_at: new Date(session.updatedAt).toISOString(),
    expires_at: new Date(session.expiresAt).toISOString(),
    user_agent: session.userAgent || null,
    ip_address: session.ipAddress || null,
    current: session.id === currentSessionId,
  };
}

export function presentAccount(user: UserLike, hasPassword: boolean, domains: AccountDomain[]): AccountResponse {
  return { user: presentUser(user), has_password: hasPassword, domains };
}
