import { readFile } from 'node:fs/promises';
import type { Download, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { MaterializationRun } from '../src/shared/warehouse';
import { CsvRecordCounter } from '../src/web/features/workbench/export-file';
import { signUpThroughForm } from './support/accounts';
import { browserAvailable } from './support/browser';
import { useBrowserScout } from './support/scout';

/** The mounted simulator's demo domain: 1,000 cases (src/server/main.ts). */
const DEMO_CASES = 1000;
/** The query tool's row cap. */
const ROW_CAP = 500;
/** A result far past every cap (a billion wide rows) that PostgreSQL streams from the first row, without building it first. */
const ENDLESS = 'SELECT a.*, b.case_id AS other_case FROM cases a, cases b, cases c';
/** Billions of rows to count: runs until cancelled (no pg_sleep, which the allow-list refuses). */
const LONG_QUERY = 'SELECT count(*) FROM cases a, cases b, cases c, cases d';

describe.runIf(browserAvailable())('the SQL workbench', () => {
  const scout = useBrowserScout();
  const snap = (page: Page, name: string) => scout.snap(page, name);

  /** A new user with the demo domain connected and synced (through the API), on the Data page. */
  async function userOnWorkbench(name: string, options: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {}): Promise<Page> {
    const context = await scout.browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 }, colorScheme: options.colorScheme ?? 'light' });
    const page = await context.newPage();
    await signUpThroughForm(page, scout.baseUrl, name);
    await page.evaluate(async () => {
      const connected = await fetch('/api/auth/tenant-credentials/demo/', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      const { membership_id: id } = (await connected.json()) as { membership_id: string };
      // Connecting may already have started the first sync: then the latest run is followed instead.
      const started = await fetch(`/api/tenants/${id}/materializations`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      let runId = started.ok ? ((await started.json()) as { run: MaterializationRun }).run.id : undefined;
      for (;;) {
        if (!runId) runId = ((await (await fetch(`/api/tenants/${id}/materializations`)).json()) as MaterializationRun[])[0]?.id;
        if (runId) {
          const run = (await (await fetch(`/api/tenants/${id}/materializations/${runId}`)).json()) as MaterializationRun;
          if (run.state === 'completed') return;
          if (run.state === 'failed' || run.state === 'cancelled') throw new Error(run.error ?? `sync ${run.state}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });
    await page.goto(`${scout.baseUrl}/data`);
    await expect.poll(() => editor(page).isVisible()).toBe(true);
    return page;
  }

  const editor = (page: Page) => page.getByLabel('SQL query');
  const editorText = (page: Page) => editor(page).innerText();
  const result = (page: Page) => page.getByRole('table', { name: 'Query result' });
  const side = (page: Page) => page.getByRole('complementary', { name: 'Schema and history' });
  const tableButton = (page: Page, name: string) => side(page).getByRole('list', { name: 'Tables and views' }).getByRole('button', { name: new RegExp(`^${name} (Table|View)\\b`) });

  /** Replaces the query and runs it with the button. */
  async function run(page: Page, sql: string) {
    await editor(page).fill(sql);
    await page.getByRole('button', { name: 'Run query' }).click();
  }

  /** Shows the rows rather than a chart (a result that makes a picture opens on it). */
  async function showTable(page: Page) {
    const tab = page.getByRole('tab', { name: 'Table', exact: true });
    await expect.poll(() => tab.isVisible()).toBe(true);
    if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
    await expect.poll(() => result(page).isVisible()).toBe(true);
  }

  async function csvRows(download: Download): Promise<number> {
    const counter = new CsvRecordCounter();
    counter.push((await readFile(await download.path())).toString('utf8'));
    return counter.rows;
  }

  it('completes a column from the schema, runs with Ctrl+Enter, runs a selection and formats', async () => {
    const page = await userOnWorkbench('Ada Lovelace');
    await editor(page).click();
    await page.keyboard.type('SELECT cases.case_ty');
    const option = page.getByRole('option', { name: /^case_type/ });
    await expect.poll(() => option.isVisible()).toBe(true);
    await snap(page, 'workbench-autocomplete');
    // CodeMirror ignores Enter for 75 ms after the list opens (interactionDelay), so a fast typist's
    // Enter still makes a new line; a person reading the list waits longer than that.
    await page.waitForTimeout(250);
    await page.keyboard.press('Enter');
    await expect.poll(() => editorText(page)).toBe('SELECT cases.case_type');
    await page.keyboard.press('Escape');
    await page.keyboard.type(', count(*) AS n FROM cases GROUP BY 1 ORDER BY 1');
    await page.keyboard.press('Control+Enter');
    await showTable(page);
    expect(await result(page).getByRole('columnheader', { name: /^case_type/ }).count()).toBe(1);
    expect(await result(page).locator('tbody tr').count()).toBeGreaterThan(0);

    // With text selected the button runs only it.
    await editor(page).fill('SELECT 1 AS one;\nSELECT 2 AS two');
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    await expect.poll(() => page.getByRole('button', { name: 'Run selection' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Run selection' }).click();
    await expect.poll(() => result(page).getByRole('columnheader', { name: /^two/ }).count()).toBe(1);
    expect(await result(page).getByRole('columnheader', { name: /^one/ }).count()).toBe(0);

    await editor(page).fill('select case_type,count(*) from cases group by 1');
    await page.getByRole('button', { name: 'Format' }).click();
    await expect.poll(() => editorText(page)).toMatch(/^SELECT\n\s+case_type,\n\s+count\(\*\)\nFROM\n\s+cases\nGROUP BY\n\s+1$/);
    await page.keyboard.press('Control+Enter');
    await showTable(page);
    // On a 1280 × 800 screen the editor and the first rows of the result are both in view without scrolling.
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    const [editorBox, rowBox] = await Promise.all([editor(page).boundingBox(), result(page).locator('tbody tr').nth(2).boundingBox()]);
    expect(editorBox?.y).toBeGreaterThan(0);
    expect((rowBox?.y ?? Infinity) + (rowBox?.height ?? 0)).toBeLessThanOrEqual(800);
    await snap(page, 'workbench-result');
  });

  it('shows a running query with its time limit, and cancels it', async () => {
    const page = await userOnWorkbench('Grace Hopper');
    await run(page, LONG_QUERY);
    const running = page.getByRole('status').filter({ hasText: /^Running… \d+ s · stops after 30 s$/ });
    await expect.poll(() => running.isVisible()).toBe(true);
    await expect.poll(() => running.textContent()).not.toMatch(/Running… 0 s/);
    await snap(page, 'workbench-running');

    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    const cancelled = page.getByText('Query cancelled');
    await expect.poll(() => cancelled.isVisible()).toBe(true);
    // Asked for, so not an error.
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Run query' }).isEnabled()).toBe(true);
    await snap(page, 'workbench-cancelled');

    // The workbench is free again at once.
    await run(page, 'SELECT 42 AS answer');
    await showTable(page);
    expect(await result(page).locator('tbody').textContent()).toBe('42');
  });

  it('lists the queries run, searches them, stars one and runs it again', async () => {
    const page = await userOnWorkbench('Edgar Codd');
    await run(page, 'SELECT 1 AS first_query');
    await showTable(page);
    await run(page, 'SELECT 2 AS second_query');
    await expect.poll(() => result(page).getByRole('columnheader', { name: /^second_query/ }).count()).toBe(1);

    await side(page).getByRole('tab', { name: 'History' }).click();
    const list = side(page).getByRole('list', { name: 'Your queries, newest first' });
    await expect.poll(() => list.getByRole('listitem').count()).toBe(2);
    expect(await list.getByRole('listitem').first().textContent()).toContain('second_query');

    await side(page).getByLabel('Search your queries').fill('first');
    await expect.poll(() => list.getByRole('listitem').count()).toBe(1);
    const star = list.getByRole('button', { name: /^Star: SELECT 1 AS first_query/ });
    await star.click();
    await expect.poll(() => star.getAttribute('aria-pressed')).toBe('true');

    // Starred, it stays on top of the newer query.
    await side(page).getByLabel('Search your queries').fill('');
    await expect.poll(() => list.getByRole('listitem').count()).toBe(2);
    expect(await list.getByRole('listitem').first().textContent()).toContain('first_query');
    await snap(page, 'workbench-history');

    await list.getByRole('button', { name: /^Run again: SELECT 1 AS first_query/ }).click();
    await expect.poll(() => editorText(page)).toBe('SELECT 1 AS first_query');
    await expect.poll(() => result(page).getByRole('columnheader', { name: /^first_query/ }).count()).toBe(1);
    await expect.poll(() => list.getByRole('listitem').first().textContent()).toMatch(/2 runs/);

    // Unstarring puts it back in time order; the star survives a reload until then.
    await page.reload();
    await side(page).getByRole('tab', { name: 'History' }).click();
    const reloadedStar = list.getByRole('button', { name: /^Star: SELECT 1 AS first_query/ });
    await expect.poll(() => reloadedStar.getAttribute('aria-pressed')).toBe('true');
    await reloadedStar.click();
    await expect.poll(() => reloadedStar.getAttribute('aria-pressed')).toBe('false');
  });

  it('says once that a result was cut at 500 rows, and exports every row as CSV or Excel', async () => {
    const page = await userOnWorkbench('Hedy Lamarr');
    await run(page, 'SELECT n FROM generate_series(1, 2000) n');
    await showTable(page);
    const status = page.getByRole('status').filter({ hasText: / ms/ });
    await expect.poll(() => status.textContent()).toMatch(new RegExp(`^Showing the first ${ROW_CAP} rows\\b.* ms\\b.*Export all to get every row$`));
    expect(await page.getByText(/Showing the first/).count()).toBe(1);
    expect(await result(page).locator('tbody tr').count()).toBe(ROW_CAP);

    const exportAll = page.getByRole('group', { name: 'Export all rows' });
    const [csv] = await Promise.all([page.waitForEvent('download'), exportAll.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(csv.suggestedFilename()).toMatch(/^demo-clinic-\d{4}-\d{2}-\d{2}-\d{4}\.csv$/);
    expect(await csvRows(csv)).toBe(2000);
    const done = page.getByRole('status').filter({ hasText: /^Exported/ });
    await expect.poll(() => done.textContent()).toMatch(/^Exported 2,000 rows to demo-clinic-.+\.csv$/);
    await snap(page, 'workbench-export-done');

    const [xlsx] = await Promise.all([page.waitForEvent('download'), exportAll.getByRole('button', { name: 'Download Excel' }).click()]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    // An .xlsx is a zip archive.
    expect([...(await readFile(await xlsx.path())).subarray(0, 2)]).toEqual([0x50, 0x4b]);
    await expect.poll(() => done.textContent()).toMatch(/^Exported 2,000 rows to .+\.xlsx$/);
  });

  it('shows a long export’s progress in rows and cancels it', async () => {
    const page = await userOnWorkbench('Mary Jackson');
    await run(page, ENDLESS);
    await expect.poll(() => page.getByRole('status').filter({ hasText: /^Showing the first/ }).count()).toBe(1);
    await page.getByRole('group', { name: 'Export all rows' }).getByRole('button', { name: 'Download CSV' }).click();
    const progress = page.getByRole('status').filter({ hasText: /^Exporting CSV… [\d,]+ rows$/ });
    await expect.poll(async () => Number(((await progress.textContent()) ?? '').replace(/\D/g, ''))).toBeGreaterThan(ROW_CAP);
    await snap(page, 'workbench-export-running');

    await page.getByRole('button', { name: 'Cancel export' }).click();
    await expect.poll(() => page.getByText('Export cancelled').isVisible()).toBe(true);
    expect(await progress.count()).toBe(0);
  });

  it('browses the schema: searches columns, inserts names, previews and exports a table', async () => {
    const page = await userOnWorkbench('Katherine Johnson');
    const search = side(page).getByLabel('Search tables and columns');
    await search.fill('case_type');
    // Found through a column, the table opens on just the matching columns.
    const columns = side(page).getByRole('table', { name: 'Columns of cases' });
    await expect.poll(() => columns.isVisible()).toBe(true);
    expect(await columns.locator('tbody tr').count()).toBe(1);
    await expect.poll(() => columns.textContent()).toMatch(/e\.g\. /);

    await editor(page).fill('SELECT  FROM cases');
    await editor(page).press('Home');
    for (let i = 0; i < 'SELECT '.length; i++) await editor(page).press('ArrowRight');
    await columns.getByRole('button', { name: 'case_type' }).click();
    await expect.poll(() => editorText(page)).toBe('SELECT case_type FROM cases');
    expect(await search.inputValue()).toBe('case_type');
    expect(await columns.isVisible()).toBe(true);
    await snap(page, 'workbench-schema-search');

    await search.fill('');
    await tableButton(page, 'cases').click();
    const cases = side(page).getByRole('listitem').filter({ has: page.getByRole('button', { name: /^cases Table\b/ }) });
    await cases.getByRole('button', { name: 'Preview 100 rows of cases' }).click();
    await expect.poll(() => editorText(page)).toBe('SELECT * FROM cases LIMIT 100');
    await showTable(page);
    await expect.poll(() => result(page).locator('tbody tr').count()).toBe(100);

    const [download] = await Promise.all([page.waitForEvent('download'), cases.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(await csvRows(download)).toBe(DEMO_CASES);
    await snap(page, 'workbench-schema-preview');
  });

  it('fits a phone: schema and history fold away above the editor', async () => {
    const page = await userOnWorkbench('Dorothy Vaughan', { viewport: { width: 390, height: 844 } });
    expect(await side(page).count()).toBe(0);
    await run(page, 'SELECT case_type, count(*) AS n FROM cases GROUP BY 1 ORDER BY 1');
    await showTable(page);
    await snap(page, 'workbench-mobile-result');
    await page.getByRole('button', { name: /^Tables and history/ }).click();
    await expect.poll(() => tableButton(page, 'cases').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await snap(page, 'workbench-mobile-schema');
  });

  it('reads well in the dark', async () => {
    const page = await userOnWorkbench('Margaret Hamilton', { colorScheme: 'dark' });
    await run(page, "SELECT case_type, 'open' AS state, count(*) AS n -- per type\nFROM cases\nGROUP BY 1\nORDER BY 3 DESC");
    await showTable(page);
    await tableButton(page, 'cases').click();
    await snap(page, 'workbench-dark');
  });
});
