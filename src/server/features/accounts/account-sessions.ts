import type { Auth } from '../../platform/auth/auth';

/** A better-auth session row as Scout reads it; `token` never leaves this module's callers except to better-auth. */
export interface SessionRecord {
  id: string;
  token: string;
  userId: string;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  ipAddress?: string | null | undefined;
  userAgent?: string | null | undefined;
}

/**
 * The user's unexpired sessions, newest activity first. Read through
 * better-auth's own adapter rather than its `/list-sessions` endpoint, which
 * demands a session younger than a day (`freshAge`): sessions last 14 days,
 * and seeing where you are signed in should not need a fresh sign-in.
 */
export async function listUserSessions(auth: Auth, userId: string): Promise<SessionRecord[]> {
  const context = await auth.$context;
  const sessions: SessionRecord[] = await context.internalAdapter.listSessions(userId, { onlyActiveSessions: true });
  const now = Date.now();
  return sessions
    .filter((session) => new Date(session.expiresAt).getTime() > now)
    .sort((a, b) => new Date(b.updatedAt).getTime() - new Date(a.updatedAt).getTime());
}

/** One of the user's sessions by id; another user's session looks exactly like a missing one. */
export async function findUserSession(auth: Auth, userId: string, sessionId: string): Promise<SessionRecord | undefined> {
  return (await listUserSessions(auth, userId)).find((session) => session.id === sessionId);
}

/** Whether the user can sign in with a password (someone who only uses CommCare sign-in has none). */
export async function hasPassword(auth: Auth, userId: string): Promise<boolean> {
  const context = await auth.$context;
  const account = await context.internalAdapter.findCredentialAccount(userId);
  return Boolean(account?.password);
}
