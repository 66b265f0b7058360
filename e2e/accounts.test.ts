import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserAvailable } from './support/browser';
import { useBrowserScout } from './support/scout';

describe.runIf(browserAvailable())('accounts in the browser', () => {
  const scout = useBrowserScout();

  const newPage = () => scout.newPage();
  const snap = (page: Page, name: string) => scout.snap(page, name);

  it('walks sign up, sign out, sign in and sign out again', async () => {
    const page = await newPage();
    const email = `walk-${Date.now()}@example.org`;

    await page.goto(`${scout.baseUrl}/`);
    await page.waitForURL(/\/sign-in/);
    await snap(page, 'sign-in');
    await page.getByRole('link', { name: /create one/i }).click();
    await page.waitForURL(/\/sign-up/);

    await page.getByLabel('Name').fill('Grace Hopper');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('cobol-rocks-1959');
    await page.getByRole('button', { name: 'Create account' }).click();

    // A new account has no domains, so it starts at onboarding.
    await page.waitForURL(/\/onboarding$/);
    await page.getByRole('link', { name: 'Chat', exact: true }).click();
    await page.waitForURL(/\/chat$/);
    await expect.poll(() => page.getByText('No domains connected yet').isVisible()).toBe(true);
    for (const name of ['Chat', 'Data', 'Connectors', 'Connections']) {
      expect(await page.getByRole('link', { name, exact: true }).first().isVisible()).toBe(true);
    }
    await snap(page, 'shell-chat');

    await page.getByRole('button', { name: 'User menu' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in$/);

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('cobol-rocks-1959');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/chat$/);
    expect(await page.getByRole('button', { name: 'User menu' }).textContent()).toContain('Grace Hopper');

    await page.getByRole('button', { name: 'User menu' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in$/);
    // Signed out means the shell is gone for real, not just hidden.
    await page.goto(`${scout.baseUrl}/data`);
    await page.waitForURL(/\/sign-in\?next=%2Fdata/);
  });

  it('shows server and client field errors next to their fields', async () => {
    const page = await newPage();
    const email = `taken-${Date.now()}@example.org`;
    const signUp = await fetch(`${scout.baseUrl}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'First', email, password: 'first-pass-1' }),
    });
    expect(signUp.status).toBe(201);

    // Headed for the Data page: the way to sign in instead keeps that destination.
    await page.goto(`${scout.baseUrl}/sign-up?next=%2Fdata`);
    await page.getByLabel('Name').fill('Second');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.getByText('Password must be at least 10 characters').isVisible()).toBe(true);
    expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Password').fill('long-enough-pass-1');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.getByText(/An account with this email already exists/).isVisible()).toBe(true);
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    await snap(page, 'sign-up-errors');

    // The hint names the sign-in page, and is a link to it.
    await page.getByRole('link', { name: 'Sign in instead?' }).click();
    await page.waitForURL(/\/sign-in\?next=%2Fdata$/);
    await expect.poll(() => page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not-the-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByText('Email or password is incorrect').isVisible()).toBe(true);
    await snap(page, 'sign-in-error');
  });

  it('sends a signed-out visitor to sign in and back to the page they wanted', async () => {
    const page = await newPage();
    const email = `deep-${Date.now()}@example.org`;
    await fetch(`${scout.baseUrl}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Deep Link', email, password: 'deep-link-pass-1' }),
    });

    await page.goto(`${scout.baseUrl}/settings/connections`);
    await page.waitForURL(/\/sign-in\?next=%2Fsettings%2Fconnections/);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('deep-link-pass-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/settings\/connections$/);
    await expect.poll(() => page.getByRole('heading', { name: 'Connections' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText("Signing in with CommCare isn't available on this Scout.").isVisible()).toBe(true);
    await snap(page, 'connections');
  });
});
