import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { HqServersResponse, TenantSummary } from '../src/shared/tenants';
import { signUpThroughForm } from './support/accounts';
import { browserAvailable } from './support/browser';
import { useBrowserScout } from './support/scout';

/** The built-in simulator's demo account (simulator/users.ts). */
const DEMO = { server: 'Scout demo data', domain: 'demo-clinic', username: 'demo@example.com', apiKey: 'demo-key' };
const WRONG_KEY_MESSAGE = 'CommCare did not accept this username and API key';

describe.runIf(browserAvailable())('connections in the browser', () => {
  const scout = useBrowserScout();

  const newPage = (viewport?: { width: number; height: number }) => scout.newPage(viewport);
  const snap = (page: Page, name: string) => scout.snap(page, name);

  /** Signs a new user up through the form; a new account lands on onboarding. */
  const signUp = (page: Page, name: string) => signUpThroughForm(page, scout.baseUrl, name);

  /** The API, called from the page so it carries the page's session cookie. */
  function apiFrom<T>(page: Page, apiPath: string): Promise<T> {
    return page.evaluate(async (url) => (await fetch(url)).json() as Promise<T>, apiPath);
  }

  const domainSelector = (page: Page) => page.getByRole('combobox', { name: 'Domain' });

  /** The text of the messages a control's aria-describedby points at: its hint and its errors. */
  async function descriptionOf(control: Locator): Promise<string> {
    const ids = (await control.getAttribute('aria-describedby'))?.split(/\s+/) ?? [];
    const texts = await Promise.all(ids.map((id) => control.page().locator(`[id="${id}"]`).textContent()));
    return texts.join(' ');
  }

  async function fillApiKeyForm(page: Page, fields: { domain: string; username: string; apiKey: string }) {
    await page.getByRole('combobox', { name: 'CommCare server' }).click();
    await page.getByRole('option', { name: DEMO.server }).click();
    await page.getByRole('textbox', { name: 'Domain' }).fill(fields.domain);
    await page.getByLabel('Username', { exact: true }).fill(fields.username);
    await page.getByLabel('API key', { exact: true }).fill(fields.apiKey);
  }

  it('mounts the demo CommCare server that these tests connect to', async () => {
    const identity = await fetch(`${scout.baseUrl}/simulator/api/v0.5/identity/`, {
      headers: { Authorization: `ApiKey ${DEMO.username}:${DEMO.apiKey}` },
    });
    expect(identity.headers.get('content-type')).toMatch(/json/);
    expect(identity.ok).toBe(true);
  });

  it('adds a domain with an API key during onboarding, renames it, rejects a wrong key and removes it', async () => {
    const page = await newPage();
    await signUp(page, 'Florence Nightingale');
    await expect.poll(() => page.getByRole('heading', { name: 'Connect your first domain' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('button', { name: 'Add an API key' }).isVisible()).toBe(true);
    await snap(page, 'onboarding');

    await page.getByRole('button', { name: 'Add an API key' }).click();
    await fillApiKeyForm(page, { domain: DEMO.domain, username: DEMO.username, apiKey: DEMO.apiKey });
    await snap(page, 'onboarding-api-key');
    await page.getByRole('button', { name: 'Connect domain' }).click();

    // The first domain is selected and the user goes straight to Chat.
    await page.waitForURL(/\/chat$/);
    await expect.poll(() => domainSelector(page).textContent()).toBe(DEMO.domain);
    // This Scout has no language model: the chat says so once (e2e/first-run.test.ts) instead of offering a question box.
    await expect.poll(() => page.getByRole('heading', { name: 'The chat isn’t set up on this server yet' }).isVisible()).toBe(true);

    await domainSelector(page).click();
    await expect.poll(() => page.getByRole('option', { name: DEMO.domain }).isVisible()).toBe(true);
    await snap(page, 'sidebar-selector-open');
    await page.keyboard.press('Escape');

    // The choice survives a reload.
    await page.reload();
    await expect.poll(() => domainSelector(page).textContent()).toBe(DEMO.domain);

    await page.getByRole('link', { name: 'Connections', exact: true }).click();
    await page.waitForURL(/\/settings\/connections$/);
    const card = page.getByRole('group', { name: DEMO.domain });
    await expect.poll(() => card.isVisible()).toBe(true);
    expect(await card.textContent()).toContain('Verified');
    expect(await card.textContent()).toContain(DEMO.server);
    await expect.poll(() => page.getByText("Signing in with CommCare isn't available on this Scout.").isVisible()).toBe(true);
    await snap(page, 'connections-with-domain');

    // Rename: the new label shows on the card and in the sidebar's selector.
    await card.getByRole('button', { name: /^Edit/ }).click();
    await card.getByLabel('Label').fill('Clinic pilot');
    await card.getByRole('button', { name: 'Save changes' }).click();
    const renamed = page.getByRole('group', { name: 'Clinic pilot' });
    await expect.poll(() => renamed.isVisible()).toBe(true);
    await expect.poll(() => domainSelector(page).textContent()).toBe('Clinic pilot');

    // Only one of username and key: caught before anything is sent.
    await renamed.getByRole('button', { name: /^Edit/ }).click();
    await renamed.getByLabel('Username', { exact: true }).fill(DEMO.username);
    await renamed.getByRole('button', { name: 'Save changes' }).click();
    const apiKeyInput = renamed.getByLabel('API key', { exact: true });
    await expect.poll(() => apiKeyInput.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(apiKeyInput)).toContain('Enter both the username and the API key');

    // A wrong key: CommCare's refusal appears under the API key field, and the old key stays.
    await apiKeyInput.fill('not-the-demo-key');
    await renamed.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => descriptionOf(apiKeyInput)).toContain(WRONG_KEY_MESSAGE);
    expect(await apiKeyInput.getAttribute('aria-invalid')).toBe('true');
    await snap(page, 'connections-form-errors');
    await renamed.getByRole('button', { name: 'Cancel' }).click();
    expect(await renamed.textContent()).toContain('Verified');

    // Remove, after confirming in a dialog that names the domain.
    await renamed.getByRole('button', { name: /^Remove/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove Clinic pilot?' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.textContent()).toContain(DEMO.domain);
    await snap(page, 'connections-remove-dialog');
    await dialog.getByRole('button', { name: 'Remove domain' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => page.getByText('No domains connected with an API key').isVisible()).toBe(true);
    await expect.poll(() => page.getByText('No domains connected yet').isVisible()).toBe(true);
    expect(await apiFrom<TenantSummary[]>(page, '/api/auth/tenants/')).toEqual([]);
    await snap(page, 'connections-empty');

    await page.setViewportSize({ width: 390, height: 844 });
    await snap(page, 'connections-empty-mobile');
  });

  it('shows a wrong API key and an unknown domain under their fields when adding from Connections', async () => {
    const page = await newPage();
    await signUp(page, 'Mary Seacole');
    await page.goto(`${scout.baseUrl}/settings/connections`);
    await page.getByRole('button', { name: 'Add domain' }).click();

    // Nothing filled in: every required field says what it needs.
    await page.getByRole('button', { name: 'Connect domain' }).click();
    await expect.poll(() => descriptionOf(page.getByRole('textbox', { name: 'Domain' }))).toContain('Enter the project space (domain) name');
    expect(await descriptionOf(page.getByLabel('API key', { exact: true }))).toContain('Enter your API key');

    await fillApiKeyForm(page, { domain: DEMO.domain, username: DEMO.username, apiKey: 'wrong-key' });
    await page.getByRole('button', { name: 'Connect domain' }).click();
    const apiKeyInput = page.getByLabel('API key', { exact: true });
    await expect.poll(() => descriptionOf(apiKeyInput)).toContain(WRONG_KEY_MESSAGE);
    expect(await apiKeyInput.getAttribute('aria-invalid')).toBe('true');
    await snap(page, 'connections-add-wrong-key');

    const domainInput = page.getByRole('textbox', { name: 'Domain' });
    await domainInput.fill('no-such-clinic');
    await apiKeyInput.fill(DEMO.apiKey);
    await page.getByRole('button', { name: 'Connect domain' }).click();
    await expect.poll(() => domainInput.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(domainInput)).toContain('no-such-clinic');
    expect(await apiKeyInput.getAttribute('aria-invalid')).toBeNull();

    // Fixed: it connects, and the form gives way to the new card.
    await domainInput.fill(DEMO.domain);
    await page.getByLabel('Label').fill('North clinic');
    await page.getByRole('button', { name: 'Connect domain' }).click();
    await expect.poll(() => page.getByRole('group', { name: 'North clinic' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('form', { name: 'Add a CommCare domain' }).count()).toBe(0);
    await expect.poll(() => domainSelector(page).textContent()).toBe('North clinic');

    await page.setViewportSize({ width: 390, height: 844 });
    await snap(page, 'connections-with-domain-mobile');
  });

  it('offers to switch a domain connected as demo data to the key entered, names the demo server, and says what removing does', async () => {
    // Someone else connected the demo domain first, so this user joins it as an analyst.
    const first = await newPage();
    await signUp(first, 'Olga Owner');
    expect((await first.evaluate(async () => (await fetch('/api/auth/tenant-credentials/demo/', { method: 'POST' })).status))).toBe(201);

    const page = await newPage();
    await signUp(page, 'Sam Switcher');
    const demo = await page.evaluate(async () => (await fetch('/api/auth/tenant-credentials/demo/', { method: 'POST' })).json() as Promise<{ membership_id: string; demo: boolean }>);
    expect(demo.demo).toBe(true);
    await page.goto(`${scout.baseUrl}/settings/connections`);
    const card = page.getByRole('group', { name: 'Demo Clinic' });
    await expect.poll(() => card.textContent()).toContain('Demo data');
    expect(await card.textContent()).toContain(DEMO.server);
    expect(await page.textContent('body')).not.toContain('demo.scout.invalid');

    // An analyst (who can't set up sign-in providers, nor can anyone in the app) gets no setup instructions.
    const [membership] = await apiFrom<TenantSummary[]>(page, '/api/auth/tenants/');
    expect(membership?.role).toBe('analyst');
    await expect.poll(() => page.getByText("Signing in with CommCare isn't available on this Scout.").isVisible()).toBe(true);
    expect(await page.textContent('body')).not.toMatch(/administrator|SCOUT_|environment variable/i);

    // The server list names the demo server and says what it is, not its host.
    await page.getByRole('button', { name: 'Add domain' }).click();
    await page.getByRole('combobox', { name: 'CommCare server' }).click();
    const option = page.getByRole('option', { name: DEMO.server });
    await expect.poll(() => option.textContent()).toContain('Simulated CommCare, built into Scout');
    expect(await page.getByRole('listbox').textContent()).not.toContain('demo.scout.invalid');
    await snap(page, 'connections-server-list');
    // A full-page screenshot resizes the page, which moves the open list: open it afresh to choose.
    await page.keyboard.press('Escape');
    await page.getByRole('combobox', { name: 'CommCare server' }).click();
    await option.click();

    // Adding it by key: not "already connected", but connected as demo data, with the switch offered.
    await page.getByRole('textbox', { name: 'Domain' }).fill(DEMO.domain);
    await page.getByLabel('Username', { exact: true }).fill('limited@example.com');
    await page.getByLabel('API key', { exact: true }).fill('limited-key');
    await page.getByRole('button', { name: 'Connect domain' }).click();
    const offer = page.getByRole('alert', { name: `${DEMO.domain} is connected as demo data` });
    await expect.poll(() => offer.isVisible()).toBe(true);
    expect(await page.textContent('body')).not.toContain('already connected');
    await snap(page, 'connections-demo-switch-offer');
    await page.setViewportSize({ width: 390, height: 844 });
    await snap(page, 'connections-demo-switch-offer-mobile');
    await page.setViewportSize({ width: 1280, height: 800 });

    await offer.getByRole('button', { name: 'Switch to this key' }).click();
    await expect.poll(() => page.getByRole('form', { name: 'Add a CommCare domain' }).count()).toBe(0);
    await expect.poll(() => card.textContent()).not.toContain('Demo data');
    expect(await card.textContent()).toContain('Verified');
    // The same connection, now with the key: its data, conversations and MCP address are where they were.
    const [switched] = await apiFrom<Array<{ membership_id: string; demo: boolean }>>(page, '/api/auth/tenant-credentials/');
    expect(switched).toMatchObject({ membership_id: demo.membership_id, demo: false });

    // Removing says what becomes of the synced data, the conversations, the history and the tokens.
    await card.getByRole('button', { name: /^Remove/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove Demo Clinic?' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const consequences = dialog.getByRole('list', { name: 'What happens when you remove it' }).getByRole('listitem');
    await expect.poll(() => consequences.count()).toBe(4);
    const text = await dialog.textContent();
    expect(text).toContain('Synced data');
    expect(text).toContain('other members keep using it');
    expect(text).toContain('They come back if you connect it again');
    expect(text).toContain('starred queries here are cleared');
    expect(text).toContain('MCP tokens');
    await snap(page, 'connections-remove-dialog-consequences');
    await page.setViewportSize({ width: 390, height: 844 });
    await snap(page, 'connections-remove-dialog-consequences-mobile');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
  });

  it('"Try with demo data" connects the demo domain and selects it in one click', async () => {
    const page = await newPage();
    await signUp(page, 'Ada Lovelace');
    const servers = await apiFrom<HqServersResponse>(page, '/api/auth/hq-servers/');
    expect(servers.demo_available).toBe(true);

    // It lands on the Data page, following the demo's first sync (e2e/first-run.test.ts).
    await page.getByRole('button', { name: 'Try with demo data' }).click();
    await page.waitForURL(/\/data$/);
    const [demo] = await apiFrom<TenantSummary[]>(page, '/api/auth/tenants/');
    expect(demo?.tenant_id).toBe(DEMO.domain);
    expect(demo?.last_selected_at).not.toBeNull();
    await expect.poll(() => domainSelector(page).textContent()).toBe(demo?.tenant_name);
    await expect.poll(() => page.getByRole('main').locator('header').textContent()).toContain(demo?.tenant_name ?? '');
    await snap(page, 'data-demo-selected');

    await page.reload();
    await expect.poll(() => domainSelector(page).textContent()).toBe(demo?.tenant_name);
  });
});
