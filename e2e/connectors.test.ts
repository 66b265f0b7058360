import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorSummary, PublishTarget } from '../src/shared/connectors';
import type { TenantSummary } from '../src/shared/tenants';
import { startWordPress, wordpressAvailable, type WordPressSite } from '../test/support/wordpress';
import { signUpThroughForm } from './support/accounts';
import { browserAvailable } from './support/browser';
import { useBrowserScout } from './support/scout';

/** Not the site's application password: activation, which tests the connection, refuses it. */
const PASSWORD = 'abcd efgh ijkl mnop';

describe.runIf(browserAvailable() && wordpressAvailable())('the Connectors page', () => {
  // A real WordPress to connect to, started before Scout so Scout may reach it (SCOUT_EGRESS_ALLOW).
  let wp: WordPressSite;
  beforeAll(async () => {
    wp = await startWordPress();
  });
  afterAll(async () => {
    await wp?.stop();
  });
  const scout = useBrowserScout(() => ({ SCOUT_EGRESS_ALLOW: wp.hostPort }));

  /** A new account with the demo domain connected: the first is its owner, later ones analysts. */
  async function demoUser(name: string): Promise<Page> {
    const page = await scout.newPage();
    await signUpThroughForm(page, scout.baseUrl, name);
    // Wherever "Try with demo data" lands, the demo domain is connected once it has left onboarding.
    await page.getByRole('button', { name: 'Try with demo data' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/onboarding'));
    await page.getByRole('link', { name: 'Connectors', exact: true }).click();
    await page.waitForURL(/\/connectors$/);
    return page;
  }

  const api = async <T,>(page: Page, path: string) => page.evaluate(async (p) => (await fetch(p)).json(), path) as Promise<T>;
  const card = (page: Page, name: string) => page.getByRole('group', { name });

  it('installs WordPress through the generated form, keeps its secret on edit, activates it, and shows it read-only to an analyst', async () => {
    const page = await demoUser('Olive Owner');
    await expect.poll(() => page.getByText('No connectors installed yet — add one from the Catalog').isVisible()).toBe(true);
    await scout.snap(page, 'connectors-empty');

    await page.getByRole('tab', { name: 'Catalog' }).click();
    const catalog = page.getByRole('list', { name: 'Connector catalog' });
    await expect.poll(() => catalog.getByRole('group').count()).toBe(4);
    expect(await card(page, 'Medium').textContent()).toContain('Deprecated');
    await scout.snap(page, 'connectors-catalog');

    // Add: a bad URL is caught in the form, fixed, and saved.
    await card(page, 'WordPress').getByRole('button', { name: 'Add WordPress' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add WordPress' });
    await dialog.getByLabel('Name', { exact: false }).first().fill('Blog WP');
    await dialog.getByLabel('Site URL').fill('not a url');
    await dialog.getByLabel('Username').fill('editor');
    await dialog.getByLabel('Application password').fill('short');
    await dialog.getByRole('button', { name: 'Add connector' }).click();
    // One message per field, in words: not Ajv's `must match pattern` and `must match format` at once.
    await expect.poll(() => dialog.getByText("Enter the site's address, starting with https://").count()).toBe(1);
    expect(await dialog.getByText('Use at least 8 characters').count()).toBe(1);
    expect(await dialog.textContent()).not.toMatch(/must (match|NOT)/);
    await scout.snap(page, 'connectors-add-invalid');
    await page.setViewportSize({ width: 390, height: 844 });
    await scout.snap(page, 'connectors-add-invalid-mobile');
    await page.setViewportSize({ width: 1280, height: 800 });
    await dialog.getByLabel('Site URL').fill(wp.url);
    await dialog.getByLabel('Username').fill(wp.admin.username);
    await dialog.getByLabel('Application password').fill(PASSWORD);

    // Tags are chips: Enter or a comma adds one, Backspace in the empty box or × removes one.
    const tags = dialog.getByRole('textbox', { name: 'Tags' });
    await tags.fill('blog');
    await tags.press('Enter');
    await tags.fill('drafts,');
    await tags.pressSequentially('weekly');
    await tags.press('Enter');
    const chips = dialog.getByRole('list', { name: 'Added tags' }).getByRole('listitem');
    await expect.poll(() => chips.allTextContents()).toEqual(['blog', 'drafts', 'weekly']);
    await tags.press('Backspace');
    await dialog.getByRole('button', { name: 'Remove tag drafts' }).click();
    await expect.poll(() => chips.allTextContents()).toEqual(['blog']);
    await tags.fill('reports');
    await tags.press('Enter');
    expect(await dialog.getByRole('button', { name: 'Add Item' }).count()).toBe(0);

    // Choices are labelled by the schema's titles, not its raw values.
    const status = dialog.getByRole('combobox', { name: 'Post status' });
    expect(await status.textContent()).toBe('Draft');
    await status.click();
    await expect.poll(() => page.getByRole('option').allTextContents()).toEqual(['Draft', 'Pending review', 'Published']);
    await scout.snap(page, 'connectors-status-picker');
    await page.getByRole('option', { name: 'Pending review' }).click();
    await expect.poll(() => status.textContent()).toBe('Pending review');
    await scout.snap(page, 'connectors-add-filled');
    await page.setViewportSize({ width: 390, height: 844 });
    await scout.snap(page, 'connectors-add-filled-mobile');
    await page.setViewportSize({ width: 1280, height: 800 });
    await dialog.getByRole('button', { name: 'Add connector' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    const installed = card(page, 'Blog WP');
    await expect.poll(() => installed.textContent()).toContain('Inactive');
    const [domain] = await api<TenantSummary[]>(page, '/api/auth/tenants/');
    const [before] = await api<ConnectorSummary[]>(page, `/api/tenants/${domain!.id}/connectors`);
    expect(before).toMatchObject({ name: 'Blog WP', tags: ['blog', 'reports'], config: { base_url: wp.url, default_status: 'pending' }, secrets: { application_password: { set: true } } });
    expect(JSON.stringify(before)).not.toContain(PASSWORD);

    // Configure: the stored secret shows as configured and is kept.
    await installed.getByRole('button', { name: 'Configure' }).click();
    const edit = page.getByRole('dialog', { name: 'Configure Blog WP' });
    await expect.poll(() => edit.getByText('Configured').isVisible()).toBe(true);
    expect(await edit.getByRole('button', { name: 'Replace' }).isVisible()).toBe(true);
    await edit.getByLabel('Default category').fill('Reports');
    await scout.snap(page, 'connectors-configure');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => edit.isVisible()).toBe(false);
    const [after] = await api<ConnectorSummary[]>(page, `/api/tenants/${domain!.id}/connectors`);
    expect(after!.config.default_category).toBe('Reports');
    expect(after!.secrets.application_password).toEqual(before!.secrets.application_password);

    // Activation tests the connection: the wrong application password is refused, in words.
    await installed.getByRole('button', { name: 'Activate' }).click();
    await expect.poll(() => page.getByText(/did not accept the username and application password/).first().isVisible()).toBe(true);
    expect(await installed.textContent()).toContain('Inactive');
    await scout.snap(page, 'connectors-activation-refused');

    // With the site's application password it goes live.
    await installed.getByRole('button', { name: 'Configure' }).click();
    const fix = page.getByRole('dialog', { name: 'Configure Blog WP' });
    await fix.getByRole('button', { name: 'Replace' }).click();
    await fix.getByLabel('Application password').fill(wp.admin.appPassword);
    await fix.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => fix.isVisible()).toBe(false);
    await installed.getByRole('button', { name: 'Activate' }).click();
    await expect.poll(() => installed.textContent()).toContain('Active');
    expect(await api<PublishTarget[]>(page, `/api/tenants/${domain!.id}/publish-targets`)).toEqual([expect.objectContaining({ name: 'Blog WP', catalog_key: 'wordpress' })]);
    await scout.snap(page, 'connectors-installed');

    // An analyst of the same domain sees it, read-only.
    const analyst = await demoUser('Andy Analyst');
    const seen = card(analyst, 'Blog WP');
    await expect.poll(() => seen.textContent()).toContain('Active');
    expect(await analyst.getByRole('button', { name: 'Add connector' }).count()).toBe(0);
    expect(await seen.getByRole('button', { name: /Deactivate|Delete/ }).count()).toBe(0);
    await seen.getByRole('button', { name: 'View' }).click();
    const view = analyst.getByRole('dialog', { name: 'Blog WP' });
    await expect.poll(() => view.getByText('Only owners and admins of this domain can change connectors.').isVisible()).toBe(true);
    expect(await view.getByLabel('Site URL').isDisabled()).toBe(true);
    await scout.snap(analyst, 'connectors-analyst');
    await view.getByRole('button', { name: 'Close' }).first().click();

    // A second connector may not reuse the name, in any case: said as it is typed.
    await page.getByRole('button', { name: 'Add connector' }).click();
    await page.getByRole('dialog', { name: 'Add a connector' }).getByRole('button', { name: /^WordPress/ }).click();
    const second = page.getByRole('dialog', { name: 'Add WordPress' });
    await second.getByLabel('Name', { exact: false }).first().fill('blog wp');
    await expect.poll(() => second.getByText('Another connector in this domain has this name').isVisible()).toBe(true);
    await second.getByRole('button', { name: 'Cancel' }).click();

    // Delete, with confirmation.
    await installed.getByRole('button', { name: 'Delete Blog WP' }).click();
    await page.getByRole('alertdialog').or(page.getByRole('dialog')).getByRole('button', { name: 'Delete connector' }).click();
    await expect.poll(() => page.getByText('No connectors installed yet — add one from the Catalog').isVisible()).toBe(true);
  });
});
