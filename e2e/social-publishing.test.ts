import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINKEDIN_MEMBERS, SOCIAL_CLIENT, startDefaultLinkedInSimulator, startDefaultXSimulator, X_USERS } from '../simulator/social';
import type { RunningLinkedInSimulator } from '../simulator/social/linkedin';
import type { RunningXSimulator } from '../simulator/social/x';
import type { ConnectorSummary } from '../src/shared/connectors';
import type { Publication } from '../src/shared/publications';
import type { Question } from '../src/shared/questions';
import type { TenantSummary } from '../src/shared/tenants';
import type { MaterializationRun } from '../src/shared/warehouse';
import { signUpThroughForm } from './support/accounts';
import { browserAvailable } from './support/browser';
import { useBrowserScout, type BrowserScout } from './support/scout';
import { api } from './support/api';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const BY_TYPE = 'SELECT case_type, count(*) AS cases FROM cases GROUP BY case_type ORDER BY case_type';
const TITLE = 'Cases by type';
const TWEET = 'This week: every case type in the demo clinic, counted.';

const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

/** A new account with the demo domain connected (and synced, when asked): the first is its owner. */
async function demoOwner(scout: BrowserScout, synced: boolean): Promise<{ page: Page; base: string }> {
  const page = await scout.newPage(DESKTOP);
  await signUpThroughForm(page, scout.baseUrl, 'Olive Owner');
  await page.getByRole('button', { name: 'Try with demo data' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/onboarding'));
  const [domain] = await api<TenantSummary[]>(page, 'GET', '/api/auth/tenants/');
  const base = `/api/tenants/${domain!.id}`;
  if (synced) {
    await expect
      .poll(async () => (await api<MaterializationRun[]>(page, 'GET', `${base}/materializations`)).some((run) => run.state === 'completed'), { timeout: 60_000 })
      .toBe(true);
  }
  return { page, base };
}

describe.runIf(browserAvailable())('connecting X and LinkedIn with OAuth and publishing to them', () => {
  // The simulators stand in for X and LinkedIn: Scout's app is registered at both, and their authorize pages approve at once for the first account.
  // LinkedIn's tokens here last three days, inside the week before expiry that the card warns about.
  let x: RunningXSimulator;
  let li: RunningLinkedInSimulator;
  beforeAll(async () => {
    x = await startDefaultXSimulator();
    li = await startDefaultLinkedInSimulator({ accessTokenTtlSeconds: 3 * 86_400 });
  });
  afterAll(async () => {
    await x?.close();
    await li?.close();
  });
  const scout = useBrowserScout(() => ({
    SCOUT_EGRESS_ALLOW: `${x.hostPort},${li.hostPort}`,
    X_OAUTH_CLIENT_ID: SOCIAL_CLIENT.id,
    X_OAUTH_CLIENT_SECRET: SOCIAL_CLIENT.secret,
    X_OAUTH_AUTHORIZE_URL: `${x.url}/i/oauth2/authorize`,
    X_OAUTH_TOKEN_URL: `${x.url}/2/oauth2/token`,
    X_API_BASE_URL: x.url,
    LINKEDIN_OAUTH_CLIENT_ID: SOCIAL_CLIENT.id,
    LINKEDIN_OAUTH_CLIENT_SECRET: SOCIAL_CLIENT.secret,
    LINKEDIN_OAUTH_AUTHORIZE_URL: `${li.url}/oauth/v2/authorization`,
    LINKEDIN_OAUTH_TOKEN_URL: `${li.url}/oauth/v2/accessToken`,
    LINKEDIN_API_BASE_URL: li.url,
  }));
  /** The domain's owner, made by whichever test asks first (the next account to sign up would be an analyst). */
  let owner: Promise<{ page: Page; base: string }> | undefined;
  const ownerSession = () => (owner ??= demoOwner(scout, true));

  it('an owner connects X through its sign-in, activates it, and a question published after approval is on X', async () => {
    const { page, base } = await ownerSession();

    // With Scout's X app configured, the form asks for no token: Connect fills it.
    await page.goto(`${scout.baseUrl}/connectors`);
    await page.getByRole('tab', { name: 'Catalog' }).click();
    await page.getByRole('group', { name: 'X (Twitter)' }).getByRole('button', { name: 'Add X (Twitter)' }).click();
    const form = page.getByRole('dialog', { name: 'Add X (Twitter)' });
    await expect.poll(() => form.textContent()).toContain('use Connect with X on its card');
    expect(await form.getByLabel('Access token').count()).toBe(0);
    expect(await form.getByLabel('Refresh token').count()).toBe(0);
    await form.getByRole('textbox', { name: 'Name' }).fill('Clinic X');
    await form.getByRole('button', { name: 'Add connector' }).click();

    const card = page.getByRole('group', { name: 'Clinic X' });
    const account = card.getByRole('group', { name: 'X account' });
    await expect.poll(() => account.textContent()).toContain('Not connected to X yet.');
    // Activating before connecting offers the sign-in rather than a form.
    await card.getByRole('button', { name: 'Activate' }).click();
    const first = page.getByRole('alertdialog', { name: 'Connect Clinic X first' }).or(page.getByRole('dialog', { name: 'Connect Clinic X first' }));
    await expect.poll(() => first.getByRole('button', { name: 'Connect with X' }).isVisible()).toBe(true);
    await first.getByRole('button', { name: 'Cancel' }).click();

    // Connect is a link the browser follows: Scout's start → X's authorize page → Scout's callback → back here.
    const connect = account.getByRole('link', { name: 'Connect with X' });
    const connector = (await api<ConnectorSummary[]>(page, 'GET', `${base}/connectors`)).find((c) => c.name === 'Clinic X');
    expect(await connect.getAttribute('href')).toBe(`${base}/connectors/${connector!.id}/oauth/start`);
    const callback = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/connectors/oauth/x/callback');
    await connect.click();
    expect(new URL((await callback).headers().location!, scout.baseUrl).searchParams.get('connected')).toBe(connector!.id);
    // The page (loaded anew) reads `?connected=` and takes it off the address. Its toast is transient (a loaded
    // machine can outlast it), so what is asserted is what stays: the clean address and the connected card.
    await page.waitForURL((url) => url.pathname === '/connectors' && url.search === '');
    await expect.poll(() => account.textContent()).toContain(`Connected to X as @${X_USERS[0]!.username}`);
    expect(await account.textContent()).toContain('Renews itself');
    expect(await account.getByRole('link', { name: 'Reconnect with X' }).isVisible()).toBe(true);
    expect(await card.getByRole('group', { name: 'Last connection test' }).textContent()).toMatch(/Test passed/);
    const stored = await api<ConnectorSummary>(page, 'GET', `${base}/connectors/${connector!.id}`);
    expect(stored).toMatchObject({ auth_configured: true, status: 'inactive', oauth: { connected: true, renews: true, warning: null } });
    await card.getByRole('button', { name: 'Activate' }).click();
    await expect.poll(() => card.getByText('Active', { exact: true }).isVisible()).toBe(true);
    await page.setViewportSize(DESKTOP);
    await scout.snap(page, 'social-x-connected-1280');
    await page.setViewportSize(PHONE);
    await expect.poll(() => fitsWidth(page)).toBe(true);
    await scout.snap(page, 'social-x-connected-390');
    await page.setViewportSize(DESKTOP);

    // A question's text, composed for X: the preview counts against X's 280.
    const question = await api<Question>(page, 'POST', `${base}/questions`, { title: TITLE, sql: BY_TYPE, chart: { kind: 'bar', x: 'case_type', y: 'cases' } });
    await page.goto(`${scout.baseUrl}/questions/${question.id}`);
    await expect.poll(() => page.locator('[data-chart-state="drawn"]').count()).toBe(1);
    await page.getByRole('button', { name: 'Publish' }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish' });
    await expect.poll(() => dialog.getByRole('combobox', { name: 'Publish to' }).textContent()).toBe('Clinic X (X)');
    await dialog.getByRole('textbox', { name: 'Text' }).fill('x'.repeat(300));
    await expect.poll(() => dialog.textContent()).toMatch(/\d+ \/ 280 characters — too long for this target/);
    await dialog.getByRole('textbox', { name: 'Text' }).fill(TWEET);
    await expect.poll(() => dialog.textContent()).toMatch(/\d+ \/ 280 characters(?! — too long)/);
    await scout.snap(page, 'social-x-compose-1280');
    await page.setViewportSize(PHONE);
    await scout.snap(page, 'social-x-compose-390');
    await page.setViewportSize(DESKTOP);
    await dialog.getByRole('button', { name: 'Send for approval' }).click();
    await expect.poll(() => page.getByText(`Sent “${TITLE}” for approval`).isVisible()).toBe(true);
    expect(x.sim.tweets()).toEqual([]);

    // Approved on the Publications page, it goes out; the tweet is on the simulator, with the chart.
    await page.getByRole('button', { name: 'Open Publications' }).click();
    await page.waitForURL(/\/publications$/);
    const waiting = page.getByRole('list', { name: 'Waiting for approval' }).getByRole('article', { name: TITLE });
    await waiting.getByRole('button', { name: 'Approve and publish' }).click();
    const link = waiting.getByRole('link', { name: 'View the post' });
    await expect.poll(() => link.isVisible(), { timeout: 30_000 }).toBe(true);
    const tweets = x.sim.tweets();
    expect(tweets).toHaveLength(1);
    expect(tweets[0]!.author_id).toBe(X_USERS[0]!.id);
    expect(tweets[0]!.text).toContain(TWEET);
    expect(tweets[0]!.media_ids).toHaveLength(1);
    const [published] = await api<Publication[]>(page, 'GET', `${base}/publications?state=published`);
    expect(published).toMatchObject({ external_id: tweets[0]!.id, approved_by: { name: 'Olive Owner' } });
    expect(await link.getAttribute('href')).toBe(published!.external_url);

    // A sign-in that comes back refused says why, once: the message leaves the address.
    await page.goto(`${scout.baseUrl}/connectors?oauth_error=${encodeURIComponent('The sign-in at X was cancelled; nothing changed.')}`);
    const refused = page.getByRole('alert').filter({ hasText: "Couldn't connect the account" });
    await expect.poll(() => refused.textContent(), { timeout: 15_000 }).toContain('The sign-in at X was cancelled; nothing changed.');
    await page.waitForURL((url) => url.pathname === '/connectors' && url.search === '');
    await refused.getByRole('button', { name: 'Dismiss' }).click();
    expect(await refused.count()).toBe(0);
  });

  it('an owner connects LinkedIn, and the card warns, where it cannot be missed, that its token expires in three days', async () => {
    const { page, base } = await ownerSession();
    const connector = await api<ConnectorSummary>(page, 'POST', `${base}/connectors`, { catalog_key: 'linkedin', name: 'Clinic LinkedIn', config: {} });
    await page.goto(`${scout.baseUrl}/connectors`);
    const card = page.getByRole('group', { name: 'Clinic LinkedIn' });
    const account = card.getByRole('group', { name: 'LinkedIn account' });
    await expect.poll(() => account.textContent()).toContain('Not connected to LinkedIn yet.');
    const callback = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/connectors/oauth/linkedin/callback');
    await account.getByRole('link', { name: 'Connect with LinkedIn' }).click();
    expect(new URL((await callback).headers().location!, scout.baseUrl).searchParams.get('connected')).toBe(connector.id);
    await expect.poll(() => page.getByText('Connected Clinic LinkedIn to LinkedIn').isVisible(), { timeout: 15_000 }).toBe(true);
    await page.waitForURL((url) => url.pathname === '/connectors' && url.search === '');
    await expect.poll(() => account.textContent()).toContain(`Connected to LinkedIn as ${LINKEDIN_MEMBERS[0]!.name}`);

    const stored = await api<ConnectorSummary>(page, 'GET', `${base}/connectors/${connector.id}`);
    expect(stored.oauth).toMatchObject({ connected: true, renews: false });
    expect(stored.oauth!.warning).toContain('(in 3 days)');
    const warning = account.getByRole('alert');
    expect(await warning.textContent()).toBe(stored.oauth!.warning);
    expect(await account.getByRole('link', { name: 'Reconnect with LinkedIn' }).isVisible()).toBe(true);
    await scout.snap(page, 'social-linkedin-expiring-1280');
    await page.setViewportSize(PHONE);
    await expect.poll(() => fitsWidth(page)).toBe(true);
    await scout.snap(page, 'social-linkedin-expiring-390');
    await page.setViewportSize(DESKTOP);
  });
});

describe.runIf(browserAvailable())('X and LinkedIn without Scout\'s apps configured', () => {
  const scout = useBrowserScout();

  it('names the settings the server admin must set, offers no Connect, and keeps the token fields to paste', async () => {
    const { page, base } = await demoOwner(scout, false);
    await api<ConnectorSummary>(page, 'POST', `${base}/connectors`, { catalog_key: 'twitter', name: 'Pasted X', config: {} });
    await api<ConnectorSummary>(page, 'POST', `${base}/connectors`, { catalog_key: 'linkedin', name: 'Pasted LinkedIn', config: {} });
    await page.goto(`${scout.baseUrl}/connectors`);
    const xAccount = page.getByRole('group', { name: 'Pasted X' }).getByRole('group', { name: 'X account' });
    await expect.poll(() => xAccount.textContent()).toContain('The server admin must set X_OAUTH_CLIENT_ID and X_OAUTH_CLIENT_SECRET');
    expect(await xAccount.getByRole('link').count()).toBe(0);
    const liAccount = page.getByRole('group', { name: 'Pasted LinkedIn' }).getByRole('group', { name: 'LinkedIn account' });
    expect(await liAccount.textContent()).toContain('The server admin must set LINKEDIN_OAUTH_CLIENT_ID and LINKEDIN_OAUTH_CLIENT_SECRET');
    expect(await liAccount.getByRole('link').count()).toBe(0);
    await scout.snap(page, 'social-unconfigured-1280');

    await page.getByRole('group', { name: 'Pasted X' }).getByRole('button', { name: 'Configure' }).click();
    const form = page.getByRole('dialog', { name: 'Configure Pasted X' });
    await expect.poll(() => form.getByLabel('Access token').count()).toBe(1);
    expect(await form.getByLabel('Refresh token').count()).toBe(1);
  });
});
