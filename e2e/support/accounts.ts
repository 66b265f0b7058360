import type { Page } from 'playwright-core';

/** Signs a new account up through the sign-up form; a new account lands on onboarding. */
export async function signUpThroughForm(page: Page, baseUrl: string, name: string, password = 'browse-all-the-things-1'): Promise<void> {
  await page.goto(`${baseUrl}/sign-up`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(`${name.toLowerCase().replace(/\W+/g, '-')}-${Date.now()}@example.org`);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/onboarding$/);
}

/** "Try with demo data" from onboarding: connects the mounted simulator's demo domain, starts its first sync and opens the Data page. */
export async function tryDemoData(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Try with demo data' }).click();
  await page.waitForURL(/\/data$/);
}
