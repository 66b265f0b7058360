import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signUpThroughForm, tryDemoData } from './support/accounts';
import { browserAvailable } from './support/browser';
import { useBrowserScout } from './support/scout';

describe.runIf(browserAvailable())('the Members page', () => {
  const scout = useBrowserScout();

  /** A new account with the demo domain connected (the first is its owner, later ones analysts), on Settings → Members. */
  async function demoUser(name: string, viewport?: { width: number; height: number }): Promise<Page> {
    const page = await scout.newPage(viewport);
    await signUpThroughForm(page, scout.baseUrl, name);
    await tryDemoData(page);
    await page.goto(`${scout.baseUrl}/settings/members`);
    await expect.poll(() => page.getByRole('list', { name: 'Members' }).isVisible()).toBe(true);
    return page;
  }

  const row = (page: Page, name: string) => page.getByRole('list', { name: 'Members' }).getByRole('listitem').filter({ hasText: name });

  it('lets the owner make a member admin, hand ownership on, and a member leave', async () => {
    const owner = await demoUser('Olive Owner');
    const analyst = await demoUser('Sam Second');
    await owner.reload();
    await expect.poll(() => row(owner, 'Sam Second').isVisible()).toBe(true);
    expect(await row(owner, 'Olive Owner').textContent()).toContain('You');
    expect(await owner.getByText('No one has changed a role or removed a member yet.').isVisible()).toBe(true);

    // The analyst sees the members, but no controls over anyone but themselves.
    await analyst.reload();
    await expect.poll(() => row(analyst, 'Olive Owner').isVisible()).toBe(true);
    expect(await analyst.getByRole('list', { name: 'Members' }).getByRole('combobox').count()).toBe(0);
    expect(await analyst.getByRole('button', { name: 'Make owner' }).count()).toBe(0);
    expect(await analyst.getByRole('button', { name: 'Leave this domain' }).isVisible()).toBe(true);
    expect(await analyst.getByText('Recent changes').count()).toBe(0);
    await scout.snap(analyst, 'members-analyst');

    await owner.getByRole('combobox', { name: 'Role of Sam Second' }).click();
    await owner.getByRole('option', { name: 'Admin' }).click();
    await expect.poll(() => owner.getByText('Sam Second is now an admin').isVisible()).toBe(true);
    await expect.poll(() => owner.getByText('Olive Owner made Sam Second an admin (was analyst).').isVisible()).toBe(true);
    await scout.snap(owner, 'members-owner');

    await row(owner, 'Sam Second').getByRole('button', { name: 'Make owner' }).click();
    const dialog = owner.getByRole('dialog', { name: 'Make Sam Second the owner?' });
    expect(await dialog.textContent()).toContain('you become an admin');
    await scout.snap(owner, 'members-make-owner');
    await dialog.getByRole('button', { name: 'Make owner' }).click();
    await expect.poll(() => row(owner, 'Sam Second').textContent()).toContain('Owner');
    await expect.poll(() => owner.getByText('Olive Owner handed ownership to Sam Second.').isVisible()).toBe(true);
    expect(await row(owner, 'Sam Second').getByRole('button').count()).toBe(0);

    // The former owner, now an admin, leaves: the domain is gone from their Scout.
    await owner.getByRole('button', { name: 'Leave this domain' }).click();
    await owner.getByRole('dialog', { name: /^Leave / }).getByRole('button', { name: 'Leave domain' }).click();
    await expect.poll(() => owner.getByText('Connect a CommCare domain to see its members').isVisible()).toBe(true);
    await scout.snap(owner, 'members-left');

    await analyst.reload();
    await expect.poll(() => analyst.getByText('Olive Owner left the domain.').isVisible()).toBe(true);
  });

  it('fits a phone', async () => {
    const page = await demoUser('Pat Phone', { width: 390, height: 844 });
    await expect.poll(() => row(page, 'Pat Phone').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await scout.snap(page, 'members-phone');
  });

  it('shows the members loading, then a way to retry when the network fails', async () => {
    // The API call, not the page (whose address also ends in /members).
    const MEMBERS_API = (url: URL) => url.pathname.startsWith('/api/tenants/') && url.pathname.endsWith('/members');
    const page = await demoUser('Lou Loading');
    // The real answer, held back a moment: the loading state a slow connection shows.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(MEMBERS_API, async (route) => {
      await held;
      await route.continue();
    });
    await page.reload();
    await expect.poll(() => page.getByRole('status', { name: 'Loading the members' }).isVisible()).toBe(true);
    await scout.snap(page, 'members-loading');
    release();
    await expect.poll(() => row(page, 'Lou Loading').isVisible()).toBe(true);

    await page.unroute(MEMBERS_API);
    await page.route(MEMBERS_API, (route) => route.abort('internetdisconnected'));
    await page.reload();
    await expect.poll(() => page.getByText("Couldn't load the members").isVisible()).toBe(true);
    await scout.snap(page, 'members-error');
    await page.unroute(MEMBERS_API);
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => row(page, 'Lou Loading').isVisible()).toBe(true);
  });
});
