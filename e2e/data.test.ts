import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { TenantSummary } from '../src/shared/tenants';
import { signUpThroughForm } from './support/accounts';
import { browserAvailable } from './support/browser';
import { useBrowserScout } from './support/scout';
import { setSimulatorFaults } from './support/simulator-faults';

/** The mounted simulator's demo domain: 1,000 cases with 2 forms each (src/server/main.ts). */
const DEMO = { cases: 1000, forms: 2000 };
/** A sync of the demo domain takes well under a second; this leaves room for a slow machine. */
const SYNC_TIMEOUT = 60_000;
/** REST tool calls one user may make a minute on this Scout: low, so the console's 429 can be seen. */
const QUERY_CALLS_PER_MINUTE = 8;

describe.runIf(browserAvailable())('the Data page', () => {
  const scout = useBrowserScout({ SCOUT_QUERY_REQUESTS_PER_MINUTE: String(QUERY_CALLS_PER_MINUTE) });
  afterEach(async () => {
    await setSimulatorFaults(scout.baseUrl, 'DELETE');
  });

  const snap = (page: Page, name: string) => scout.snap(page, name);

  /** Signs a new user up through the form; a new account lands on onboarding. */
  async function signUp(name: string): Promise<Page> {
    const page = await scout.newPage();
    await signUpThroughForm(page, scout.baseUrl, name);
    return page;
  }

  /**
   * Connects the demo domain without syncing it (the endpoint behind "Try with demo data", which also starts a
   * first sync: e2e/first-run.test.ts follows that one), then the Data page; resolves to the demo domain as the API lists it.
   */
  async function connectDemoAndOpenData(page: Page): Promise<TenantSummary> {
    const connected = await page.evaluate(async () => (await fetch('/api/auth/tenant-credentials/demo/', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status);
    expect(connected).toBeLessThan(300);
    const [domain] = await page.evaluate(async () => (await fetch('/api/auth/tenants/')).json() as Promise<TenantSummary[]>);
    if (!domain) throw new Error('The demo domain was not connected');
    await page.goto(`${scout.baseUrl}/data`);
    return domain;
  }

  async function demoUserOnDataPage(name: string): Promise<Page> {
    const page = await signUp(name);
    await connectDemoAndOpenData(page);
    return page;
  }

  const pageHeader = (page: Page) => page.getByRole('main').locator('header');
  const progressBar = (page: Page) => page.getByRole('progressbar', { name: 'Sync progress' });
  const syncButton = (page: Page) => page.getByRole('button', { name: 'Sync now' });
  const tableButton = (page: Page, name: string) =>
    page.getByRole('list', { name: 'Tables and views' }).getByRole('button', { name: new RegExp(`^${name} (Table|View)\\b`) });
  const history = (page: Page) => page.getByRole('list', { name: 'Latest syncs, newest first' });
  /** "1,000 rows" as the page writes it, in the browser's locale. */
  const rows = (page: Page, count: number) => page.evaluate((n) => `${new Intl.NumberFormat().format(n)} rows`, count);

  async function waitForSyncToEnd(page: Page) {
    await expect.poll(() => progressBar(page).count(), { timeout: SYNC_TIMEOUT }).toBe(0);
  }

  it('syncs the demo domain with a live progress bar, then lists its tables, columns and the run', async () => {
    const page = await signUp('Grace Hopper');
    await page.goto(`${scout.baseUrl}/data`);
    await expect.poll(() => page.getByRole('heading', { name: 'Connect a CommCare domain to see its data' }).isVisible()).toBe(true);
    await snap(page, 'data-no-domain');
    await page.getByRole('link', { name: 'Connect a CommCare domain' }).click();
    await page.waitForURL(/\/onboarding$/);
    const domain = await connectDemoAndOpenData(page);

    await expect.poll(() => page.getByRole('heading', { name: 'No data yet' }).isVisible()).toBe(true);
    const header = await pageHeader(page).textContent();
    expect(header).toContain(domain.tenant_name);
    expect(header).toContain('Never synced');
    // Before the first sync there is nothing to re-sync "fully", and no history.
    expect(await page.getByRole('button', { name: 'More sync options' }).count()).toBe(0);
    expect(await history(page).count()).toBe(0);
    await snap(page, 'data-empty');

    await setSimulatorFaults(scout.baseUrl, 'POST', { latencyMs: 1500 });
    await syncButton(page).click();

    await expect.poll(() => progressBar(page).isVisible()).toBe(true);
    const syncing = page.getByRole('button', { name: 'Syncing…' });
    expect(await syncing.isDisabled()).toBe(true);
    expect(await progressBar(page).getAttribute('aria-valuemax')).toBe('100');
    await expect.poll(() => progressBar(page).getAttribute('aria-valuenow').then(Number), { timeout: SYNC_TIMEOUT }).toBeGreaterThan(0);
    const card = page.getByRole('group', { name: `Syncing ${domain.tenant_name}` });
    expect(await card.textContent()).toMatch(/Loading (cases|forms)/);
    expect(await card.textContent()).toContain('Cases');
    expect(await page.getByRole('heading', { name: "Copying this domain's data" }).isVisible()).toBe(true);
    await snap(page, 'data-syncing');

    await setSimulatorFaults(scout.baseUrl, 'DELETE');
    await waitForSyncToEnd(page);
    await expect.poll(() => page.getByText('Sync complete').isVisible()).toBe(true);
    expect(await syncButton(page).isEnabled()).toBe(true);

    // Row counts per table, and typed views per case type.
    await expect.poll(() => tableButton(page, 'cases').textContent()).toContain(await rows(page, DEMO.cases));
    expect(await tableButton(page, 'forms').textContent()).toContain(await rows(page, DEMO.forms));
    const caseViews = page.getByRole('list', { name: 'Tables and views' }).getByRole('button', { name: /^case_\S+ View\b/ });
    expect(await caseViews.count()).toBeGreaterThan(0);
    expect(await pageHeader(page).textContent()).toContain('Last synced just now');

    // The run in the history.
    await expect.poll(() => history(page).getByRole('listitem').count()).toBe(1);
    const run = await history(page).getByRole('listitem').first().textContent();
    expect(run).toContain('Completed');
    // The first sync is a full one, whatever mode was asked for.
    expect(run).toContain('Full sync');
    await snap(page, 'data-completed');

    // A view opens onto its columns from the data dictionary.
    const view = caseViews.first();
    const viewName = (await view.textContent())?.split(' ')[0];
    await view.click();
    expect(await view.getAttribute('aria-expanded')).toBe('true');
    const columns = page.getByRole('table', { name: `Columns of ${viewName}` });
    await expect.poll(() => columns.isVisible()).toBe(true);
    expect(await columns.getByRole('row').count()).toBeGreaterThan(2);
    await snap(page, 'data-columns');

    // Reloading keeps it all: it comes from the server, not the page's memory.
    await page.reload();
    await expect.poll(() => tableButton(page, 'cases').isVisible()).toBe(true);
    // Once there is data, a full re-sync is on offer beside "Sync now".
    await page.getByRole('button', { name: 'More sync options' }).click();
    await expect.poll(() => page.getByRole('menuitem', { name: /^Full re-sync/ }).isVisible()).toBe(true);
    await snap(page, 'data-sync-menu');
    await page.keyboard.press('Escape');

    await page.setViewportSize({ width: 390, height: 844 });
    // On a phone the tables fold away above the SQL editor.
    await page.getByRole('button', { name: /^Tables and history/ }).click();
    await tableButton(page, 'cases').click();
    await expect.poll(() => page.getByRole('table', { name: 'Columns of cases' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await snap(page, 'data-mobile');
  });

  it('says why a sync failed, and "Try again" runs it again', async () => {
    const page = await demoUserOnDataPage('Katherine Johnson');
    await expect.poll(() => syncButton(page).isVisible()).toBe(true);

    // CommCare refuses the next request outright, as it would a revoked key.
    await setSimulatorFaults(scout.baseUrl, 'POST', { failNext: { count: 1, status: 401 } });
    await syncButton(page).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The last sync failed' });
    await expect.poll(() => alert.isVisible(), { timeout: SYNC_TIMEOUT }).toBe(true);
    expect(await alert.textContent()).toMatch(/CommCare/);
    await expect.poll(() => history(page).getByRole('listitem').first().textContent()).toContain('Failed');
    await snap(page, 'data-failed');

    await alert.getByRole('button', { name: 'Try again' }).click();
    await waitForSyncToEnd(page);
    await expect.poll(() => alert.count()).toBe(0);
    await expect.poll(() => history(page).getByRole('listitem').first().textContent()).toContain('Completed');
  });

  it('cancels a running sync', async () => {
    const page = await demoUserOnDataPage('Dorothy Vaughan');
    await expect.poll(() => syncButton(page).isVisible()).toBe(true);

    await setSimulatorFaults(scout.baseUrl, 'POST', { latencyMs: 5000 });
    await syncButton(page).click();
    await expect.poll(() => progressBar(page).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Cancel sync' }).click();
    await expect.poll(() => page.getByText('Cancelling…').isVisible()).toBe(true);
    await snap(page, 'data-cancelling');

    await waitForSyncToEnd(page);
    await expect.poll(() => page.getByText('Sync cancelled').isVisible()).toBe(true);
    await expect.poll(() => history(page).getByRole('listitem').first().textContent()).toContain('Cancelled');
    expect(await page.getByRole('alert').filter({ hasText: 'The last sync failed' }).count()).toBe(0);
  });

  it('runs SQL in the console through the query tool, shows the rows, downloads them, and says why a query is refused', async () => {
    const page = await signUp('Edgar Codd');
    const domain = await connectDemoAndOpenData(page);
    await expect.poll(() => syncButton(page).isVisible()).toBe(true);
    await syncButton(page).click();
    await waitForSyncToEnd(page);
    await expect.poll(() => tableButton(page, 'cases').isVisible()).toBe(true);

    const editor = page.getByLabel('SQL query');
    await expect.poll(() => editor.isVisible()).toBe(true);
    await editor.fill('SELECT case_type, count(*) AS n FROM cases GROUP BY 1 ORDER BY 1');
    await page.getByRole('button', { name: 'Run query' }).click();
    // A category and a count open on their chart (e2e/charts.test.ts); the rows are one tab away, and later results open there too.
    await expect.poll(() => page.getByRole('tab', { name: 'Chart' }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('tab', { name: 'Table' }).click();
    const result = page.getByRole('table', { name: 'Query result' });
    await expect.poll(() => result.isVisible()).toBe(true);
    expect(await result.getByRole('columnheader', { name: /^case_type/ }).count()).toBe(1);
    expect(await result.getByRole('columnheader', { name: /^n\b/ }).count()).toBe(1);
    const bodyRows = result.locator('tbody tr');
    expect(await bodyRows.count()).toBeGreaterThan(0);
    expect(await page.getByRole('status').filter({ hasText: / ms$/ }).textContent()).toMatch(/^[\d,.\s]+ rows? · .*[\d,.\s]+ ms$/);

    // The export runs the query again on the server for every row: the file is named after the domain and the time.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${domain.tenant_id}-\\d{4}-\\d{2}-\\d{2}-\\d{4}\\.csv$`));
    await snap(page, 'data-sql-result');

    // Ctrl+Enter runs too; a write is refused with the tool's reason.
    await editor.fill('DELETE FROM cases');
    await editor.press('Control+Enter');
    const refusal = page.getByRole('alert').filter({ hasText: 'Query refused' });
    await expect.poll(() => refusal.isVisible()).toBe(true);
    expect((await refusal.textContent())?.length).toBeGreaterThan('Query refused'.length + 10);
    expect(await result.count()).toBe(0);
    await snap(page, 'data-sql-console');

    // Past the per-user rate limit the console says so, and when to try again.
    await editor.fill('SELECT count(*) FROM cases');
    const tooMany = page.getByRole('alert').filter({ hasText: 'Too many queries' });
    for (let i = 0; i < QUERY_CALLS_PER_MINUTE && !(await tooMany.isVisible()); i++) {
      await page.getByRole('button', { name: 'Run query' }).click();
      await expect.poll(async () => (await result.isVisible()) || (await tooMany.isVisible())).toBe(true);
    }
    expect(await tooMany.textContent()).toMatch(new RegExp(`faster than ${QUERY_CALLS_PER_MINUTE} times a minute\\. Try again in \\d+ s`));
    await snap(page, 'data-sql-rate-limited');
  });
});
