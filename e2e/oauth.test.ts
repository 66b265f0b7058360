import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../simulator';
import { browserAvailable } from './support/browser';
import { useBrowserScout } from './support/scout';

/** The simulator plays CommCare HQ's OAuth server; Scout signs people in through it. */
describe.runIf(browserAvailable())('sign in with CommCare (OAuth)', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 3, domains: ['demo-clinic', 'maternal-health'], cases: 20, formsPerCase: 1, rateLimit: false });
  });
  afterAll(async () => {
    await sim?.close();
  });
  // After the simulator's hooks: it starts once the simulator is up and stops before it closes.
  const scout = useBrowserScout(() => ({ COMMCARE_BASE_URL: sim.url, COMMCARE_OAUTH_CLIENT_ID: 'scout', COMMCARE_OAUTH_CLIENT_SECRET: 'scout-secret' }));

  it("signs in through CommCare's login and consent pages and lists the user's domains", async () => {
    const page = await scout.newPage();
    const providers = await (await fetch(`${scout.baseUrl}/api/auth/providers/`)).json();
    expect(providers).toEqual([{ id: 'commcare', name: 'CommCare HQ', login_url: '/api/auth/providers/commcare/login', connected: false }]);

    await page.goto(`${scout.baseUrl}/sign-in`);
    await page.getByRole('link', { name: 'Continue with CommCare HQ' }).click();
    await page.waitForURL(new RegExp(`^${sim.url}/oauth/authorize`));
    await page.getByLabel('Email address').fill('demo@example.com');
    await page.getByLabel('Password').fill('demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await scout.snap(page, 'oauth-consent');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${scout.baseUrl}/chat`);

    // The domains CommCare lists for the user are in the sidebar's selector.
    await page.getByRole('combobox', { name: 'Domain' }).click();
    const options = page.getByRole('option');
    await expect.poll(() => options.count()).toBe(2);
    expect((await options.allTextContents()).join(' ')).toMatch(/demo-clinic.*maternal-health|maternal-health.*demo-clinic/);
    await scout.snap(page, 'oauth-domains');
    await page.keyboard.press('Escape');

    const tenants = await (await page.request.get(`${scout.baseUrl}/api/auth/tenants/`)).json();
    expect(tenants.map((t: { tenant_id: string }) => t.tenant_id).sort()).toEqual(['demo-clinic', 'maternal-health']);
    const credentials = await (await page.request.get(`${scout.baseUrl}/api/auth/tenant-credentials/`)).json();
    expect(credentials.every((c: { credential_type: string }) => c.credential_type === 'oauth')).toBe(true);
    const me = await (await page.request.get(`${scout.baseUrl}/api/me`)).json();
    expect(me.user.email).toBe('demo@example.com');
    const linked = await (await page.request.get(`${scout.baseUrl}/api/auth/providers/`)).json();
    expect(linked[0].connected).toBe(true);

    // The tokens are stored encrypted, never in plain text.
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: scout.databaseUrl });
    await client.connect();
    const account = await client.query(`SELECT "accessToken", "refreshToken" FROM account WHERE "providerId" = 'commcare'`);
    await client.end();
    expect(account.rows).toHaveLength(1);
    expect(account.rows[0].accessToken).not.toMatch(/^[A-Za-z0-9_-]{32}$/);
    await scout.snap(page, 'oauth-signed-in');
  });
});
