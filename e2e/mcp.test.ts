import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TenantCredentialSummary } from '../src/shared/tenants';
import { signUpThroughForm } from './support/accounts';
import { browserAvailable } from './support/browser';
import { useBrowserScout } from './support/scout';

describe.runIf(browserAvailable())('MCP access in the browser', () => {
  const scout = useBrowserScout();

  const signUp = (page: Page) => signUpThroughForm(page, scout.baseUrl, 'Ada Lovelace');

  it('creates a token, shows it once with ready-to-paste configuration, and revokes it', async () => {
    const page = await scout.newPage();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: scout.baseUrl });
    await signUp(page);
    const demo = await page.evaluate(async () => (await fetch('/api/auth/tenant-credentials/demo', { method: 'POST' })).json() as Promise<TenantCredentialSummary>);

    await page.goto(`${scout.baseUrl}/settings/mcp`);
    await expect.poll(() => page.getByRole('heading', { name: 'MCP access', level: 1 }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText('No tokens yet').isVisible()).toBe(true);
    await expect.poll(() => page.getByText(`${scout.baseUrl}/mcp/${demo.membership_id}`, { exact: true }).isVisible()).toBe(true);
    await scout.snap(page, 'mcp-access-empty');

    await page.getByRole('button', { name: 'Create token' }).click();
    await expect.poll(() => page.getByText('Name the token').isVisible()).toBe(true);
    await page.getByLabel('Token name').fill('Claude Desktop');
    await page.getByRole('button', { name: 'Create token' }).click();

    const tokenText = page.getByLabel('New token');
    await expect.poll(() => tokenText.isVisible()).toBe(true);
    const token = (await tokenText.textContent())!;
    expect(token).toMatch(/^scout_pat_[A-Za-z0-9_-]{32}$/);
    expect(await page.getByLabel('Token name').inputValue()).toBe('');
    await expect.poll(() => page.getByText("You won't be able to see it again", { exact: false }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('list', { name: 'Your tokens' }).getByText('Claude Desktop').isVisible()).toBe(true);

    await page.getByRole('button', { name: 'Copy Claude Desktop (claude_desktop_config.json)' }).click();
    const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText())) as { mcpServers: { scout: { args: string[] } } };
    expect(copied.mcpServers.scout.args).toEqual(['-y', 'mcp-remote', `${scout.baseUrl}/mcp/${demo.membership_id}`, '--header', `Authorization: Bearer ${token}`]);
    await scout.snap(page, 'mcp-access-new-token');

    // The token works against the endpoint the page shows.
    const listed = await fetch(`${scout.baseUrl}/mcp/${demo.membership_id}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    expect(listed.status).toBe(200);

    await page.getByRole('button', { name: 'Revoke Claude Desktop' }).click();
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(true);
    await scout.snap(page, 'mcp-access-revoke');
    await page.getByRole('button', { name: 'Revoke token' }).click();
    await expect.poll(() => page.getByText('No tokens yet').isVisible()).toBe(true);
    expect(await page.getByLabel('New token').count()).toBe(0);
    expect(await page.getByText(token).count()).toBe(0);
  });
});
