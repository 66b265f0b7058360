import { readFile } from 'node:fs/promises';
import type { Download, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../simulator';
import type { MaterializationRun } from '../src/shared/warehouse';
import { CHART_REQUEST, chartAnalystScript, startScriptedModel, type ScriptedModelServer } from '../test/support/scripted-model';
import { signUpThroughForm } from './support/accounts';
import { browserAvailable } from './support/browser';
import { useBrowserScout } from './support/scout';

const DOMAIN = 'chart-clinic';
const GROUP_BY = 'SELECT case_type, count(*) AS cases FROM cases GROUP BY case_type';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** The page's text colours as the chart theme paints them (src/web/features/charts/chart-theme.ts). */
const TITLE_COLOR = { light: '#0a0a0a', dark: '#fafafa' };

describe.runIf(browserAvailable())('charts', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let llm: ScriptedModelServer;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 11, domains: [DOMAIN], cases: 120, formsPerCase: 1, rateLimit: false });
    llm = await startScriptedModel(chartAnalystScript);
  });
  afterAll(async () => {
    await llm?.close();
    await sim?.close();
  });
  const scout = useBrowserScout(() => ({ COMMCARE_BASE_URL: sim.url, SCOUT_MODEL: 'openai-compatible:scripted-analyst', SCOUT_MODEL_BASE_URL: llm.baseUrl }));

  /** A new user with the simulator's domain connected and synced, through the API from the signed-in page. */
  async function userWithData(name: string): Promise<Page> {
    const page = await scout.newPage();
    await signUpThroughForm(page, scout.baseUrl, name);
    await page.evaluate(async (domain) => {
      const connected = await fetch('/api/auth/tenant-credentials/', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ provider: 'commcare', tenant_id: domain, credential: 'demo@example.com:demo-key' }),
      });
      const { membership_id: id } = (await connected.json()) as { membership_id: string };
      const started = (await (await fetch(`/api/tenants/${id}/materializations`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).json()) as { run: MaterializationRun };
      for (;;) {
        const run = (await (await fetch(`/api/tenants/${id}/materializations/${started.run.id}`)).json()) as MaterializationRun;
        if (run.state === 'completed') return;
        if (run.state === 'failed') throw new Error(run.error ?? 'sync failed');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }, DOMAIN);
    return page;
  }

  /** The same signed-in user in another window: another width, another colour scheme. */
  async function sameUser(page: Page, viewport: { width: number; height: number }, colorScheme: 'light' | 'dark'): Promise<Page> {
    const context = await scout.browser.newContext({ viewport, colorScheme, storageState: await page.context().storageState() });
    return context.newPage();
  }

  async function runInConsole(page: Page, sql: string) {
    await page.goto(`${scout.baseUrl}/data`);
    const editor = page.getByLabel('SQL query');
    await expect.poll(() => editor.isVisible()).toBe(true);
    await editor.fill(sql);
    await page.getByRole('button', { name: 'Run query' }).click();
  }

  /** A chart once vega has drawn it (the canvas marks its state), found by its text alternative. */
  function chart(scope: Page | Locator, name: string): Locator {
    return scope.getByRole('img', { name, exact: true }).and(scope.locator('[data-chart-state="drawn"]'));
  }
  const bars = (img: Locator) => img.locator('.mark-rect path');
  const slices = (img: Locator) => img.locator('.mark-arc path');
  const titleFill = (img: Locator) => img.locator('.role-title-text text').first().getAttribute('fill');
  const tab = (scope: Page | Locator, name: 'Chart' | 'Table') => scope.getByRole('tab', { name });
  const kind = (scope: Page | Locator, name: string) => scope.getByRole('group', { name: 'Chart kind' }).getByRole('button', { name, exact: true });

  async function downloaded(download: Download): Promise<Buffer> {
    const file = await download.path();
    return readFile(file);
  }

  /** Nothing on the page is wider than the window: no sideways scrolling on a phone. */
  const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it('opens a group-by in the SQL console on its bar chart, switches kind in one click, and downloads PNG and SVG', async () => {
    const page = await userWithData('Florence Nightingale');

    // Hold the chart's code back once, to see what shows while it loads.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/assets\/ChartCanvas-[\w-]+\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    await runInConsole(page, GROUP_BY);
    await expect.poll(() => tab(page, 'Chart').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByText('Loading the chart…').count()).toBe(1);
    await scout.snap(page, 'charts-console-loading');
    release();

    const img = chart(page, 'Cases by case type');
    await expect.poll(() => img.count()).toBe(1);
    // One bar per case type, the same rows the Table tab lists.
    const barCount = await bars(img).count();
    expect(barCount).toBeGreaterThan(1);
    expect(await kind(page, 'Bar').getAttribute('aria-pressed')).toBe('true');
    expect(await titleFill(img)).toBe(TITLE_COLOR.light);
    await scout.snap(page, 'charts-console-1280-light');

    await tab(page, 'Table').click();
    const table = page.getByRole('table', { name: 'Query result' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(barCount);
    await tab(page, 'Chart').click();

    // A category and a count can't make a scatter: the button says why and can't be pressed.
    expect(await kind(page, 'Scatter').isDisabled()).toBe(true);
    expect(await kind(page, 'Scatter').getAttribute('title')).toMatch(/two numbers/);

    await kind(page, 'Donut').click();
    const donut = chart(page, 'Cases by case type');
    await expect.poll(() => slices(donut).count()).toBe(barCount);
    expect(await bars(donut).count()).toBe(0);
    expect(await kind(page, 'Donut').getAttribute('aria-pressed')).toBe('true');
    await scout.snap(page, 'charts-console-donut');

    const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download PNG' }).click()]);
    expect(png.suggestedFilename()).toBe('cases-by-case-type.png');
    expect([...(await downloaded(png)).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const [svg] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download SVG' }).click()]);
    expect(svg.suggestedFilename()).toBe('cases-by-case-type.svg');
    const svgText = (await downloaded(svg)).toString('utf8');
    expect(svgText).toMatch(/^<svg[\s>]/);
    expect(svgText).toContain('Cases by case type');
  });

  it('explains a chart choice the rows cannot make, and redraws once it is fixed and retitled', async () => {
    const page = await userWithData('Ada Lovelace');
    await runInConsole(page, GROUP_BY);
    await expect.poll(() => chart(page, 'Cases by case type').count()).toBe(1);

    await page.getByRole('button', { name: 'Adjust' }).click();
    await page.getByRole('combobox', { name: 'Y axis' }).click();
    await page.getByRole('option', { name: /^case_type/ }).click();
    const problem = page.getByRole('alert').filter({ hasText: "Can't draw this chart" });
    await expect.poll(() => problem.isVisible()).toBe(true);
    expect(await problem.textContent()).toMatch(/Y axis: must be a numeric column; 'case_type' is text/);
    expect(await page.getByRole('combobox', { name: 'Y axis' }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('[data-chart-state]').count()).toBe(0);
    await scout.snap(page, 'charts-console-bad-choice');

    await page.getByRole('combobox', { name: 'Y axis' }).click();
    await page.getByRole('option', { name: /^cases/ }).click();
    await expect.poll(() => chart(page, 'Cases by case type').count()).toBe(1);
    expect(await problem.count()).toBe(0);

    const title = page.getByRole('textbox', { name: 'Title', exact: true });
    await title.fill('Caseload by type');
    await title.press('Enter');
    await expect.poll(() => chart(page, 'Caseload by type').count()).toBe(1);
    expect(await chart(page, 'Caseload by type').locator('.role-title-text text').first().textContent()).toBe('Caseload by type');

    // A lone number opens on the table; its chart tab is one click away.
    await page.getByLabel('SQL query').fill('SELECT count(*) AS cases FROM cases');
    await page.getByRole('button', { name: 'Run query' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Query result' }).isVisible()).toBe(true);
    expect(await tab(page, 'Table').getAttribute('aria-selected')).toBe('true');
    await tab(page, 'Chart').click();
    const number = chart(page, 'Cases');
    await expect.poll(() => number.count()).toBe(1);
    expect(await number.locator('.mark-text text').first().textContent()).toBe('120');
    await scout.snap(page, 'charts-console-number');
  });

  it('draws dates as a line, and says once that a cut result was cut', async () => {
    const page = await userWithData('William Playfair');
    await runInConsole(page, "SELECT date_trunc('week', date_opened)::date AS week, count(*) AS cases FROM cases GROUP BY 1 ORDER BY 1");
    const line = chart(page, 'Cases by week');
    await expect.poll(() => line.count()).toBe(1);
    expect(await line.locator('.mark-line path').count()).toBe(1);
    expect(await kind(page, 'Line').getAttribute('aria-pressed')).toBe('true');
    await scout.snap(page, 'charts-console-line');

    // 120 × 120 rows, cut at the cap of 500.
    await page.getByLabel('SQL query').fill('SELECT a.case_type, 1 AS n FROM cases a CROSS JOIN cases b');
    await page.getByRole('button', { name: 'Run query' }).click();
    const cut = page.getByRole('img', { name: /^N by case type \(Drawn from the first 500 rows only/ }).and(page.locator('[data-chart-state="drawn"]'));
    await expect.poll(() => cut.count()).toBe(1);
    expect(await page.getByRole('status').filter({ hasText: / ms/ }).textContent()).toMatch(/^Showing the first 500 rows · , [\d,]+ ms — : Export all to get every row$/);
    // The tool's own warning says the same thing: it isn't repeated beneath.
    expect(await page.getByRole('list', { name: 'Warnings' }).count()).toBe(0);
    expect(await cut.locator('.role-title-subtitle text').first().textContent()).toMatch(/^Drawn from the first 500 rows only/);
    await scout.snap(page, 'charts-console-truncated');
  });

  it('draws the console chart in dark mode with light text, follows a scheme change, and fits a phone', async () => {
    const first = await userWithData('Mary Seacole');
    for (const [width, height] of [
      [1280, 800],
      [390, 844],
    ] as const) {
      const page = await sameUser(first, { width, height }, 'dark');
      await runInConsole(page, GROUP_BY);
      const img = chart(page, 'Cases by case type');
      await expect.poll(() => img.count()).toBe(1);
      expect(await titleFill(img)).toBe(TITLE_COLOR.dark);
      expect(await bars(img).count()).toBeGreaterThan(1);
      expect(await fitsWidth(page)).toBe(true);
      // The chart fills its card, whatever the window.
      const drawn = await img.locator('svg').first().boundingBox();
      const card = await img.boundingBox();
      expect(drawn && card && Math.abs(drawn.width - card.width)).toBeLessThanOrEqual(1);
      await scout.snap(page, `charts-console-${width}-dark`);

      if (width === 1280) {
        // A downloaded image carries the dark card behind its light text, not a transparent hole.
        const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download PNG' }).click()]);
        const corner = await page.evaluate(async (base64) => {
          const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${base64}`)).blob());
          const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
          const context = canvas.getContext('2d')!;
          context.drawImage(bitmap, 0, 0);
          return [...context.getImageData(0, 0, 1, 1).data];
        }, (await downloaded(png)).toString('base64'));
        expect(corner).toEqual([19, 19, 19, 255]);

        // The operating system switching to light redraws the chart in light colours.
        await page.emulateMedia({ colorScheme: 'light' });
        await expect.poll(() => titleFill(chart(page, 'Cases by case type'))).toBe(TITLE_COLOR.light);
      }
      await page.context().close();
    }

    const phone = await sameUser(first, { width: 390, height: 844 }, 'light');
    await runInConsole(phone, GROUP_BY);
    await expect.poll(() => chart(phone, 'Cases by case type').count()).toBe(1);
    expect(await fitsWidth(phone)).toBe(true);
    await scout.snap(phone, 'charts-console-390-light');
    await phone.context().close();
  });

  it('shows the chart the agent drew in its tool card, with the SQL and the rows, and again after a reload', async () => {
    llm.setScript(chartAnalystScript);
    const page = await userWithData('John Snow');
    await page.goto(`${scout.baseUrl}/chat`);
    await expect.poll(() => page.getByRole('heading', { name: `Ask about ${DOMAIN}` }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Chart the number of cases of each type' }).click();
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    const threadUrl = page.url();

    const answer = page.getByRole('article', { name: "Scout's answer" }).first();
    await expect.poll(() => answer.getByText(/^Here is the chart\./).isVisible()).toBe(true);
    const card = answer.getByRole('region', { name: CHART_REQUEST.chart.title });
    const img = chart(card, CHART_REQUEST.chart.title);
    await expect.poll(() => img.count()).toBe(1);
    const barCount = await bars(img).count();
    expect(barCount).toBeGreaterThan(1);
    expect(await card.getByLabel('SQL', { exact: true }).textContent()).toBe(CHART_REQUEST.sql);
    expect(await tab(card, 'Chart').getAttribute('aria-selected')).toBe('true');
    expect(await kind(card, 'Bar').getAttribute('aria-pressed')).toBe('true');
    await scout.snap(page, 'charts-chat-1280-light');

    await tab(card, 'Table').click();
    const table = card.getByRole('table', { name: 'Query result' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(barCount);
    expect(await card.getByRole('button', { name: 'Download CSV' }).isVisible()).toBe(true);
    await tab(card, 'Chart').click();
    await kind(card, 'Pie').click();
    await expect.poll(() => slices(chart(card, CHART_REQUEST.chart.title)).count()).toBe(barCount);

    // The stored thread carries the spec the server drew: the same bar chart after a reload.
    await page.reload();
    const again = chart(page.getByRole('region', { name: CHART_REQUEST.chart.title }), CHART_REQUEST.chart.title);
    await expect.poll(() => again.count()).toBe(1);
    expect(await bars(again).count()).toBe(barCount);
    expect(page.url()).toBe(threadUrl);

    for (const [width, height, scheme] of [
      [1280, 800, 'dark'],
      [390, 844, 'light'],
      [390, 844, 'dark'],
    ] as const) {
      const other = await sameUser(page, { width, height }, scheme);
      await other.goto(threadUrl);
      const drawn = chart(other.getByRole('region', { name: CHART_REQUEST.chart.title }), CHART_REQUEST.chart.title);
      await expect.poll(() => drawn.count()).toBe(1);
      expect(await titleFill(drawn)).toBe(TITLE_COLOR[scheme]);
      expect(await fitsWidth(other)).toBe(true);
      await scout.snap(other, `charts-chat-${width}-${scheme}`);
      await other.context().close();
    }
  });

  it("shows a chart the agent asked for that the rows can't make as a failed card with the reason", async () => {
    llm.setScript((request) => {
      const done = request.messages.some((message) => message.role === 'tool');
      return done ? { text: 'That chart did not work.' } : { toolCalls: [{ name: 'visualize', args: { sql: GROUP_BY, chart: { kind: 'scatter', x: 'case_type', y: 'cases' } } }] };
    });
    try {
      const page = await userWithData('Edward Tufte');
      await page.goto(`${scout.baseUrl}/chat`);
      const question = page.getByRole('textbox', { name: 'Your question' });
      await expect.poll(() => question.isEnabled()).toBe(true);
      await question.fill('Scatter the case types');
      await question.press('Enter');
      const answer = page.getByRole('article', { name: "Scout's answer" }).first();
      await expect.poll(() => answer.getByText('That chart did not work.').isVisible()).toBe(true);
      const card = answer.locator('[data-tool="visualize"]');
      expect(await card.getByText('Failed', { exact: true }).isVisible()).toBe(true);
      expect(await card.getByRole('button', { name: /Couldn’t draw the chart/ }).isVisible()).toBe(true);
      const refusal = card.getByRole('alert');
      expect(await refusal.textContent()).toMatch(/^Couldn’t draw that chart/);
      expect(await refusal.textContent()).toMatch(/chart\.x: a scatter chart plots two numbers; 'case_type' is text/);
      await scout.snap(page, 'charts-chat-failed');
    } finally {
      llm.setScript(chartAnalystScript);
    }
  });
});
