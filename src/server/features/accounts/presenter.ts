import type { PublicUser, SessionResponse } from '../../../shared/accounts';

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
