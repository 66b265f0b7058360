import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { PublicUser } from '../src/shared/accounts';
import { signUpThroughForm } from './support/accounts';
import { browserAvailable } from './support/browser';
import { useBrowserScout } from './support/scout';

const PASSWORD = 'browse-all-the-things-1';
const NEW_PASSWORD = 'a-better-password-2';
const MOBILE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

describe.runIf(browserAvailable())('the Account page in the browser', () => {
  const scout = useBrowserScout();

  /** From the top, so the sticky sidebar and header sit where a person sees them in the full-page picture. */
  async function snap(page: Page, name: string) {
    await page.evaluate(() => {
      window.scrollTo(0, 0);
      // The loading skeletons pulse forever, and the shared snap waits for every animation to settle: stop those.
      for (const animation of document.getAnimations()) {
        if (animation.effect?.getComputedTiming().iterations === Infinity) animation.cancel();
      }
    });
    await scout.snap(page, name);
  }

  /** Signs a new account up through the form and answers its email. */
  async function signUp(page: Page, name: string): Promise<string> {
    await signUpThroughForm(page, scout.baseUrl, name, PASSWORD);
    const { user } = await page.evaluate(async () => (await fetch('/api/me')).json() as Promise<{ user: PublicUser }>);
    return user.email;
  }

  /** The same account in another browser (its own cookies): another session. */
  async function signInElsewhere(email: string): Promise<Page> {
    const page = await scout.newPage();
    await page.goto(`${scout.baseUrl}/sign-in`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/chat$/);
    return page;
  }

  async function openFromUserMenu(page: Page) {
    await page.getByRole('button', { name: 'User menu' }).click();
    await page.getByRole('menuitem', { name: 'Account' }).click();
    await page.waitForURL(/\/settings\/account$/);
  }

  /** The text of the messages a control's aria-describedby points at: its hint and its errors. */
  async function descriptionOf(control: Locator): Promise<string> {
    const ids = (await control.getAttribute('aria-describedby'))?.split(/\s+/) ?? [];
    const texts = await Promise.all(ids.map((id) => control.page().locator(`[id="${id}"]`).textContent()));
    return texts.join(' ');
  }

  const sessionRows = (page: Page) => page.getByRole('list', { name: 'Your sessions' }).getByRole('listitem');
  const section = (page: Page, name: string) => page.getByRole('region', { name });

  it('loads, renames the user, and changes the password: a wrong current one is refused, the right one signs the other browser out', async () => {
    const page = await scout.newPage();
    const email = await signUp(page, 'Ada Lovelace');
    const elsewhere = await signInElsewhere(email);

    // Hold the page's first answers (the real server's, released below) to see the loading state.
    const accountApi = /\/api\/account(\/sessions)?$/;
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let held = 0;
    await page.route(accountApi, async (route) => {
      held++;
      await released;
      // A development build's StrictMode mounts the page twice: the first pair of requests is aborted by then.
      await route.continue().catch(() => undefined);
    });
    await openFromUserMenu(page);
    await expect.poll(() => held >= 2).toBe(true);
    await expect.poll(() => page.getByRole('status', { name: 'Loading your sessions' }).isVisible()).toBe(true);
    expect(await page.getByRole('status', { name: 'Loading your account' }).count()).toBe(2);
    await snap(page, 'account-loading');
    await page.setViewportSize(MOBILE);
    await snap(page, 'account-loading-mobile');
    await page.setViewportSize(DESKTOP);
    release();

    await expect.poll(() => sessionRows(page).count()).toBe(2);
    await page.unroute(accountApi);
    expect(await sessionRows(page).first().textContent()).toContain('This browser');
    expect(await page.getByRole('heading', { name: 'Account', level: 1 }).isVisible()).toBe(true);
    expect(await section(page, 'Profile').textContent()).toContain(email);
    await snap(page, 'account');

    // The name: saved, and the sidebar follows.
    await page.getByLabel('Name').fill('Augusta Ada King');
    await page.getByRole('button', { name: 'Save name' }).click();
    await expect.poll(() => page.getByText('Name saved').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'User menu' }).textContent()).toContain('Augusta Ada King');

    // A mistyped confirmation is caught before anything is sent; a wrong current password by the server.
    const current = page.getByLabel('Current password');
    const confirmation = page.getByLabel('Confirm new password');
    await current.fill('not-my-password-1');
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await confirmation.fill('a-better-pasword-2');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => confirmation.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(confirmation)).toContain('does not match');
    await confirmation.fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => current.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(current)).toContain('This is not your current password');
    await snap(page, 'account-password-wrong');
    await page.setViewportSize(MOBILE);
    await snap(page, 'account-password-wrong-mobile');
    await page.setViewportSize(DESKTOP);
    expect(await elsewhere.evaluate(async () => (await fetch('/api/me')).status)).toBe(200);

    await current.fill(PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => page.getByText('Signed out of 1 other session.').isVisible()).toBe(true);
    await expect.poll(() => sessionRows(page).count()).toBe(1);
    expect(await current.inputValue()).toBe('');
    await expect.poll(() => page.getByText('You are not signed in anywhere else.').isVisible()).toBe(true);
    await snap(page, 'account-password-changed');

    // The other browser is signed out; this one carries on, and the new password is the one that works.
    await elsewhere.reload();
    await elsewhere.waitForURL(/\/sign-in/);
    await page.reload();
    await expect.poll(() => sessionRows(page).count()).toBe(1);
    await elsewhere.getByLabel('Email').fill(email);
    await elsewhere.getByLabel('Password').fill(NEW_PASSWORD);
    await elsewhere.getByRole('button', { name: 'Sign in' }).click();
    await elsewhere.waitForURL(/\/chat$/);

    await page.setViewportSize(MOBILE);
    await page.reload();
    await expect.poll(() => sessionRows(page).count()).toBe(2);
    await snap(page, 'account-mobile');
  });

  it('signs out another browser from the list, and says so when the page cannot reach Scout', async () => {
    const page = await scout.newPage();
    const email = await signUp(page, 'Mary Somerville');
    const elsewhere = await signInElsewhere(email);
    await openFromUserMenu(page);
    await expect.poll(() => sessionRows(page).count()).toBe(2);

    await sessionRows(page).nth(1).getByRole('button', { name: /^Sign out / }).click();
    await expect.poll(() => sessionRows(page).count()).toBe(1);
    await expect.poll(() => page.getByText(/^Signed out /).first().isVisible()).toBe(true);
    expect(await elsewhere.evaluate(async () => (await fetch('/api/me')).status)).toBe(401);

    // Offline: the sections say what failed and offer to try again; back online, that works.
    await page.getByRole('link', { name: 'Connections', exact: true }).click();
    await page.waitForURL(/\/settings\/connections$/);
    await page.context().setOffline(true);
    await openFromUserMenu(page);
    await expect.poll(() => page.getByText("Couldn't load your sessions").isVisible()).toBe(true);
    await expect.poll(() => page.getByText("Couldn't load your account").isVisible()).toBe(true);
    expect(await page.getByText('Deleting your account is available once your account details load.').isVisible()).toBe(true);
    expect(await page.getByText("Can't reach Scout").count()).toBe(2);
    await snap(page, 'account-load-error');
    await page.setViewportSize(MOBILE);
    await snap(page, 'account-load-error-mobile');
    await page.setViewportSize(DESKTOP);

    await page.context().setOffline(false);
    const tryAgain = page.getByRole('button', { name: 'Try again' });
    await tryAgain.first().click();
    await expect.poll(() => tryAgain.count()).toBe(1);
    await tryAgain.first().click();
    await expect.poll(() => sessionRows(page).count()).toBe(1);
    await expect.poll(() => page.getByLabel('Current password').isVisible()).toBe(true);
  });

  it('refuses to delete the only owner of a domain someone else joined, then deletes each account', async () => {
    const owner = await scout.newPage();
    const ownerEmail = await signUp(owner, 'Owner Person');
    await owner.evaluate(async () => fetch('/api/auth/tenant-credentials/demo', { method: 'POST' }));
    await owner.goto(`${scout.baseUrl}/settings/account`);
    const ownerDomains = owner.getByRole('list', { name: 'What happens to your domains' });
    await expect.poll(() => ownerDomains.textContent()).toContain('Only you use it');

    // Meanwhile someone else connects the same domain, so the owner is now its only owner with a member.
    const member = await scout.newPage();
    const memberEmail = await signUp(member, 'Member Person');
    await member.evaluate(async () => fetch('/api/auth/tenant-credentials/demo', { method: 'POST' }));

    await owner.getByRole('button', { name: 'Delete account…' }).click();
    const dialog = owner.getByRole('dialog', { name: 'Delete your account?' });
    const confirm = dialog.getByRole('button', { name: 'Delete my account' });
    await dialog.getByLabel('Your email address').fill('someone-else@example.org');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Your email address').fill(ownerEmail.toUpperCase());
    expect(await confirm.isEnabled()).toBe(true);
    await snap(owner, 'account-delete-dialog');
    await confirm.click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('make another member owner first (Settings → Members), or remove the other members');
    await snap(owner, 'account-delete-refused-dialog');

    // Closing the dialog shows the same reason on the page, with deleting held back.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => owner.getByText("You can't delete your account yet").isVisible()).toBe(true);
    expect(await ownerDomains.textContent()).toContain('You are its only owner, and it has 1 other member.');
    expect(await owner.getByRole('button', { name: 'Delete account…' }).isDisabled()).toBe(true);
    await snap(owner, 'account-delete-refused');
    await owner.setViewportSize(MOBILE);
    await snap(owner, 'account-delete-refused-mobile');
    await owner.setViewportSize(DESKTOP);
    // The way out is one click away: that domain's Members page.
    await owner.getByRole('button', { name: 'Members of Demo Clinic' }).click();
    await owner.waitForURL(/\/settings\/members$/);
    await expect.poll(() => owner.getByRole('heading', { name: 'Members', level: 1 }).isVisible()).toBe(true);
    await owner.goBack();
    await owner.waitForURL(/\/settings\/account$/);

    // The member may leave: the domain stays for its owner.
    await member.goto(`${scout.baseUrl}/settings/account`);
    await expect.poll(() => member.getByRole('list', { name: 'What happens to your domains' }).textContent()).toContain('Stays for its 1 other member.');
    await member.setViewportSize(MOBILE);
    await member.getByRole('button', { name: 'Delete account…' }).click();
    await member.getByLabel('Your email address').fill(memberEmail);
    await snap(member, 'account-delete-dialog-mobile');
    // The server's answer first, so a refusal or a slow database says what happened rather than a missed navigation.
    const deleted = member.waitForResponse((response) => response.request().method() === 'DELETE' && new URL(response.url()).pathname === '/api/account', { timeout: 60_000 });
    await member.getByRole('button', { name: 'Delete my account' }).click();
    const answer = await deleted;
    expect(`${answer.status()} ${await answer.text()}`).toMatch(/^200 /);
    await expect.poll(() => member.url()).toBe(`${scout.baseUrl}/sign-in`);
    await expect.poll(() => member.getByText('Your account was deleted').isVisible()).toBe(true);
    await snap(member, 'account-deleted-mobile');
    await member.getByLabel('Email').fill(memberEmail);
    await member.getByLabel('Password').fill(PASSWORD);
    await member.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => member.getByText('Email or password is incorrect').isVisible()).toBe(true);

    // Alone again, the owner can delete the account, and the domain goes with it.
    await owner.reload();
    await expect.poll(() => ownerDomains.textContent()).toContain('Only you use it');
    expect(await owner.getByText("You can't delete your account yet").count()).toBe(0);
    await snap(owner, 'account-delete-allowed');
    await owner.getByRole('button', { name: 'Delete account…' }).click();
    await owner.getByLabel('Your email address').fill(ownerEmail);
    await owner.getByRole('button', { name: 'Delete my account' }).click();
    await owner.waitForURL(/\/sign-in$/, { timeout: 60_000 });
    await snap(owner, 'account-deleted');
    await owner.goto(`${scout.baseUrl}/settings/account`);
    await owner.waitForURL(/\/sign-in\?next=%2Fsettings%2Faccount/);
  });
});
