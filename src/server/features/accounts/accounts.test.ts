import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, startTestScout, type TestScout } from '../../../../test/support/scout';

let scout: TestScout;
beforeAll(async () => {
  scout = await startTestScout();
});
afterAll(async () => {
  await scout?.stop();
});

let counter = 0;
const uniqueEmail = () => `person${++counter}-${Date.now()}@example.org`;
const PASSWORD = 'correct-horse-9';

async function signUp(client: HttpClient, email = uniqueEmail(), password = PASSWORD) {
  return client.post('/api/auth/sign-up/email', { name: 'Ada Lovelace', email, password });
}

describe('sign-up', () => {
  it('creates the account, signs the user in with an HttpOnly cookie and returns only public fields', async () => {
    const client = new HttpClient(scout.baseUrl);
    const email = uniqueEmail();
    const response = await signUp(client, email);
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body).toEqual({ user: { id: expect.any(String), name: 'Ada Lovelace', email, createdAt: expect.any(String) } });
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('scout.session_token='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    const me = await client.get('/api/me');
    expect(me.status).toBe(200);
    expect((await me.json()).user.email).toBe(email);
  });

  it('answers 409 with a message on the email field for an existing email', async () => {
    const email = uniqueEmail();
    await signUp(new HttpClient(scout.baseUrl), email);
    const response = await signUp(new HttpClient(scout.baseUrl), email.toUpperCase());
    expect(response.status).toBe(409);
    const body = await response.json();
    expect(body.code).toBe('CONFLICT');
    expect(body.fields.email[0]).toMatch(/already exists/);
  });

  it.each([
    ['short', 'at least 10 characters'],
    ['onlyletterslong', 'number or symbol'],
    ['1234567890123', 'at least one letter'],
    ['a1'.repeat(65), 'at most 128'],
  ])('rejects the weak password %j with a field message', async (password, message) => {
    const response = await signUp(new HttpClient(scout.baseUrl), uniqueEmail(), password);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.code).toBe('VALIDATION_ERROR');
    expect(body.fields.password.join(' ')).toContain(message);
  });

  it('rejects a malformed email and a missing name with field messages, creating nothing', async () => {
    const client = new HttpClient(scout.baseUrl);
    const response = await client.post('/api/auth/sign-up/email', { name: '  ', email: 'not-an-email', password: PASSWORD });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(Object.keys(body.fields).sort()).toEqual(['email', 'name']);
    expect(body.fields.email[0]).toMatch(/valid email/);
    const count = await scout.database.pool.query(`SELECT count(*)::int AS n FROM "user" WHERE email = 'not-an-email'`);
    expect(count.rows[0].n).toBe(0);
    expect(client.hasCookie('scout.session_token')).toBe(false);
  });

  it('answers 400, not 500, to a body that is not a JSON object', async () => {
    const client = new HttpClient(scout.baseUrl);
    for (const body of ['{not json', '[1,2]', 'null']) {
      const response = await client.post('/api/auth/sign-up/email', body);
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatch(/JSON object/);
    }
  });

  it('stores the password only as a hash and never logs it', async () => {
    const email = uniqueEmail();
    await signUp(new HttpClient(scout.baseUrl), email, 'Unmistakable-Pw-42');
    const stored = await scout.database.pool.query(
      `SELECT a.password FROM account a JOIN "user" u ON u.id = a."userId" WHERE u.email = $1`,
      [email],
    );
    expect(stored.rows[0].password).not.toContain('Unmistakable');
    expect(scout.logs.join('')).not.toContain('Unmistakable-Pw-42');
  });
});

describe('in production', () => {
  it('marks the session cookie Secure (with the __Secure- prefix)', async () => {
    const production = await startTestScout({ env: {
      NODE_ENV: 'production',
      SCOUT_BASE_URL: 'https://scout.example.org',
      SCOUT_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 3).toString('base64')}`,
      BETTER_AUTH_SECRET: 'p'.repeat(40),
    } });
    try {
      const client = new HttpClient(production.baseUrl);
      const response = await client.post('/api/auth/sign-up/email', { name: 'Prod', email: uniqueEmail(), password: PASSWORD }, { origin: 'https://scout.example.org' });
      expect(response.status).toBe(201);
      const cookie = response.headers.getSetCookie().find((c) => c.includes('session_token='));
      expect(cookie).toMatch(/^__Secure-scout\.session_token=/);
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/HttpOnly/i);
    } finally {
      await production.stop();
    }
  });
});

describe('sign-in and sign-out', () => {
  it('signs in with the right password, and sign-out ends the session', async () => {
    const email = uniqueEmail();
    await signUp(new HttpClient(scout.baseUrl), email);
    const client = new HttpClient(scout.baseUrl);
    expect((await client.get('/api/me')).status).toBe(401);

    const signIn = await client.post('/api/auth/sign-in/email', { email, password: PASSWORD });
    expect(signIn.status).toBe(200);
    const body = await signIn.json();
    expect(body.user.email).toBe(email);
    expect(JSON.stringify(body)).not.toMatch(/token/i);
    expect((await client.get('/api/me')).status).toBe(200);

    const signOut = await client.post('/api/auth/sign-out');
    expect(signOut.status).toBe(200);
    expect(await signOut.json()).toEqual({ status: 'ok' });
    const me = await client.get('/api/me');
    expect(me.status).toBe(401);
    expect(await me.json()).toEqual({ error: 'Sign in to continue', code: 'UNAUTHENTICATED' });
  });

  it('rejects a wrong password and an unknown email alike, without saying which', async () => {
    const email = uniqueEmail();
    await signUp(new HttpClient(scout.baseUrl), email);
    const wrongPassword = await new HttpClient(scout.baseUrl).post('/api/auth/sign-in/email', { email, password: 'wrong-password-1' });
    const unknownEmail = await new HttpClient(scout.baseUrl).post('/api/auth/sign-in/email', { email: uniqueEmail(), password: PASSWORD });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(await wrongPassword.json()).toEqual(await unknownEmail.json());
  });

  it('rejects an empty sign-in form with field messages', async () => {
    const response = await new HttpClient(scout.baseUrl).post('/api/auth/sign-in/email', { email: '', password: '' });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.fields.email).toBeDefined();
    expect(body.fields.password).toEqual(['Enter your password']);
  });

  it('refuses a sign-in posted from a foreign origin', async () => {
    const email = uniqueEmail();
    await signUp(new HttpClient(scout.baseUrl), email);
    const response = await new HttpClient(scout.baseUrl).post('/api/auth/sign-in/email', { email, password: PASSWORD }, { origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    expect((await response.json()).code).toBe('FORBIDDEN');
  });

  it('rate-limits repeated sign-in attempts, and a spoofed client address header does not reset the count', async () => {
    const email = uniqueEmail();
    await signUp(new HttpClient(scout.baseUrl), email);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 12; attempt++) {
      const response = await new HttpClient(scout.baseUrl).post(
        '/api/auth/sign-in/email',
        { email, password: 'wrong-password-1' },
        { 'x-scout-client-ip': `10.0.0.${attempt}`, 'x-forwarded-for': `10.0.0.${attempt}` },
      );
      statuses.push(response.status);
      if (response.status === 429) {
        const body = await response.json();
        expect(body.code).toBe('RATE_LIMITED');
        expect(body.error).toMatch(/Too many attempts/);
      }
    }
    expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // Even the right password waits out the window.
    const blocked = await new HttpClient(scout.baseUrl).post('/api/auth/sign-in/email', { email, password: PASSWORD });
    expect(blocked.status).toBe(429);
  });
});
