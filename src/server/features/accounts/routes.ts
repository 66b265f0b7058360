import { Hono } from 'hono';
import { signInSchema, signUpSchema } from '../../../shared/accounts';
import type { Auth } from '../../platform/auth/auth';
import { applyCookies, callAuth } from '../../platform/auth/bridge';
import { requireSession } from '../../platform/auth/session';
import { parseBody } from '../../platform/http/body';
import type { AppEnv } from '../../platform/http/env';
import { presentSession } from './presenter';

interface AuthUserBody {
  user: { id: string; name: string; email: string; createdAt: string };
}

/** Mounted at /api: sign-up, sign-in, sign-out and the current user. */
export function accountsRouter(auth: Auth) {
  const router = new Hono<AppEnv>();

  router.post('/auth/sign-up/email', async (c) => {
    const input = await parseBody(c, signUpSchema);
    const result = await callAuth<AuthUserBody>(auth, c, '/sign-up/email', input);
    applyCookies(c, result.setCookies);
    c.get('logger').info({ userId: result.body.user.id }, 'account created');
    return c.json(presentSession(result.body.user), 201);
  });

  router.post('/auth/sign-in/email', async (c) => {
    const input = await parseBody(c, signInSchema);
    const result = await callAuth<AuthUserBody>(auth, c, '/sign-in/email', { ...input, rememberMe: true });
    applyCookies(c, result.setCookies);
    return c.json(presentSession(result.body.user));
  });

  router.post('/auth/sign-out', async (c) => {
    const result = await callAuth<unknown>(auth, c, '/sign-out', {});
    applyCookies(c, result.setCookies);
    return c.json({ status: 'ok' });
  });

  router.get('/me', requireSession(auth), (c) => c.json(presentSession(c.get('user'))));

  return router;
}
