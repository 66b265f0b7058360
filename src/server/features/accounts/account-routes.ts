import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import {
  changePasswordSchema,
  confirmsEmail,
  deleteAccountSchema,
  updateProfileSchema,
  type AccountDeletedResponse,
  type OtherSessionsSignedOutResponse,
  type PasswordChangedResponse,
} from '../../../shared/accounts';
import { ERROR_CODES } from '../../../shared/errors';
import type { Auth } from '../../platform/auth/auth';
import { applyCookies, callAuth } from '../../platform/auth/bridge';
import { requireSession } from '../../platform/auth/session';
import type { Database } from '../../platform/db/schema';
import { parseBody } from '../../platform/http/body';
import type { AppEnv } from '../../platform/http/env';
import { AppError, notFound } from '../../platform/http/errors';
import type { Logger } from '../../platform/logger';
import { accountDomains, deleteAccount, type AccountDeletionDeps } from './account-deletion';
import { findUserSession, hasPassword, listUserSessions } from './account-sessions';
import { presentAccount, presentAccountSession, presentSession } from './presenter';

export interface AccountRouterDeps {
  auth: Auth;
  db: Kysely<Database>;
  schemas: AccountDeletionDeps['schemas'];
  logger: Logger;
}

const invalid = (field: string, message: string) => new AppError(400, ERROR_CODES.validation, 'Some fields need attention', { [field]: [message] });

/**
 * Mounted at /api/account: the signed-in user's profile, password, sessions
 * and the account itself. Passwords and sessions go through better-auth's own
 * endpoints (via the bridge), so its hashing, cookies and rate limits apply.
 */
export function accountRouter(deps: AccountRouterDeps) {
  const { auth } = deps;
  const router = new Hono<AppEnv>({ strict: false });
  router.use('*', requireSession(auth));

  router.get('/', async (c) => {
    const user = c.get('user');
    const [password, domains] = await Promise.all([hasPassword(auth, user.id), accountDomains(deps.db, user.id)]);
    return c.json(presentAccount(user, password, domains));
  });

  router.patch('/', async (c) => {
    const { name } = await parseBody(c, updateProfileSchema);
    const result = await callAuth<unknown>(auth, c, '/update-user', { name });
    applyCookies(c, result.setCookies);
    return c.json(presentSession({ ...c.get('user'), name }));
  });

  router.post('/password', async (c) => {
    const input = await parseBody(c, changePasswordSchema);
    const user = c.get('user');
    if (!(await hasPassword(auth, user.id))) {
      throw new AppError(400, 'NO_PASSWORD', 'You sign in with CommCare, so this account has no Scout password to change.');
    }
    const others = (await listUserSessions(auth, user.id)).filter((session) => session.id !== c.get('sessionId')).length;
    try {
      // better-auth replaces every session of the user, this one included, with a fresh one whose cookie it sets.
      const result = await callAuth<unknown>(auth, c, '/change-password', {
        currentPassword: input.current_password,
        newPassword: input.new_password,
        revokeOtherSessions: true,
      });
      applyCookies(c, result.setCookies);
    } catch (error) {
      // The bridge answers a wrong password as a failed sign-in (401); here the session is fine and one field is wrong.
      if (error instanceof AppError && error.code === ERROR_CODES.invalidCredentials) {
        throw invalid('current_password', 'This is not your current password');
      }
      throw error;
    }
    c.get('logger').info({ userId: user.id, signedOutSessions: others }, 'password changed');
    return c.json<PasswordChangedResponse>({ status: 'ok', signed_out_sessions: others });
  });

  router.get('/sessions', async (c) => {
    const sessions = await listUserSessions(auth, c.get('user').id);
    const current = c.get('sessionId');
    // The current session first, then the most recently active.
    const ordered = [...sessions.filter((s) => s.id === current), ...sessions.filter((s) => s.id !== current)];
    return c.json(ordered.map((session) => presentAccountSession(session, current)));
  });

  router.delete('/sessions', async (c) => {
    const user = c.get('user');
    const others = (await listUserSessions(auth, user.id)).filter((session) => session.id !== c.get('sessionId')).length;
    await callAuth<unknown>(auth, c, '/revoke-other-sessions', {});
    c.get('logger').info({ userId: user.id, signedOutSessions: others }, 'other sessions signed out');
    return c.json<OtherSessionsSignedOutResponse>({ signed_out_sessions: others });
  });

  router.delete('/sessions/:sessionId', async (c) => {
    const user = c.get('user');
    const session = await findUserSession(auth, user.id, c.req.param('sessionId'));
    if (!session) throw notFound('This session');
    if (session.id === c.get('sessionId')) {
      throw new AppError(400, 'CURRENT_SESSION', 'This is the session you are using now. Sign out instead.');
    }
    await callAuth<unknown>(auth, c, '/revoke-session', { token: session.token });
    c.get('logger').info({ userId: user.id }, 'session signed out');
    return c.body(null, 204);
  });

  router.delete('/', async (c) => {
    const { confirm_email: typed } = await parseBody(c, deleteAccountSchema);
    const user = c.get('user');
    if (!confirmsEmail(typed, user.email)) throw invalid('confirm_email', 'This is not the email address of your account');
    const { removedDomains } = await deleteAccount(deps, user.id);
    // The session row went with the user; better-auth's sign-out still expires its cookies in this browser.
    const signedOut = await callAuth<unknown>(auth, c, '/sign-out', {});
    applyCookies(c, signedOut.setCookies);
    return c.json<AccountDeletedResponse>({ status: 'deleted', removed_domains: removedDomains });
  });

  return router;
}
