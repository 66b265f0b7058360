import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { HqServersResponse, TenantSummary } from '../src/shared/tenants';
import { signUpThroughForm } from './support/accounts';
import { browserAvailable } from './support/browser';
import { useBrowserScout } from './support/scout';

/** The built-in simulator's demo account (simulator/users.ts). */
const DEMO = { server: 'Scout demo server (simulated CommCare)', domain: 'demo-clinic', username: 'demo@example.com', apiKey: 'demo-key' };
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
    await expect.poll(() => page.getByRole('heading', { name: `Ask about ${DEMO.domain}` }).isVisible()).toBe(true);

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
    await expect.poll(() => page.getByText('No OAuth providers configured.').isVisible()).toBe(true);
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

  it('"Try with demo data" connects the demo domain and selects it in one click', async () => {
    const page = await newPage();
    await signUp(page, 'Ada Lovelace');
    const servers = await apiFrom<HqServersResponse>(page, '/api/auth/hq-servers/');
    expect(servers.demo_available).toBe(true);

    await page.getByRole('button', { name: 'Try with demo data' }).click();
    await page.waitForURL(/\/chat$/);
    const [demo] = await apiFrom<TenantSummary[]>(page, '/api/auth/tenants/');
    expect(demo?.tenant_id).toBe(DEMO.domain);
    expect(demo?.last_selected_at).not.toBeNull();
    await expect.poll(() => domainSelector(page).textContent()).toBe(demo?.tenant_name);
    await expect.poll(() => page.getByRole('heading', { name: `Ask about ${demo?.tenant_name}` }).isVisible()).toBe(true);
    await snap(page, 'chat-demo-selected');

    await page.reload();
    await expect.poll(() => domainSelector(page).textContent()).toBe(demo?.tenant_name);
  });
});
