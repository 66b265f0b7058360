import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { signUpThroughForm, tryDemoData } from './support/accounts';
import { browserAvailable } from './support/browser';
import { useBrowserScout } from './support/scout';
import { setSimulatorFaults } from './support/simulator-faults';

/** The mounted simulator's demo domain: 1,000 cases (one page) and 2,000 forms (pages of 1,000). */
const DEMO = { cases: 1000, forms: 2000 };
/** Latency on every CommCare data request: each page lands this long after the last, so the run can be watched. */
const PAGE_LATENCY_MS = 2500;
/** Room for a slow machine; never part of what is asserted. */
const SYNC_TIMEOUT = 60_000;

/** What the Data page says about the sync, read from the page in one go so the parts are of the same moment. */
interface DataPageReading {
  header: string;
  /** The progress card is on screen. */
  syncing: boolean;
  percent: number | null;
  /** Rows loaded per source as the card counts them ("Cases" → 1000), or null while it waits. */
  counters: Record<string, number | null>;
  timeLeft: string | null;
  /** The newest run in the history, as written. */
  latestRun: string | null;
  /** Tables listed in the schema browser. */
  tables: number;
  emptyTitle: string | null;
}

function readDataPage(page: Page): Promise<DataPageReading> {
  return page.evaluate(() => {
    const main = document.querySelector('main');
    if (!main) throw new Error('no main');
    const card = [...main.querySelectorAll('[role="group"]')].find((group) =>
      document.getElementById(group.getAttribute('aria-labelledby') ?? '')?.textContent?.startsWith('Syncing '),
    );
    const bar = main.querySelector('[role="progressbar"][aria-label="Sync progress"]');
    const counters: Record<string, number | null> = {};
    for (const row of card?.querySelectorAll('dl > div') ?? []) {
      const name = row.querySelector('dt')?.textContent ?? '';
      const value = row.querySelector('dd')?.textContent ?? '';
      const digits = /^[\d\s,.\u00a0\u202f]+/.exec(value)?.[0].replace(/\D/g, '');
      counters[name] = digits ? Number(digits) : null;
    }
    const timeLeft = [...(card?.querySelectorAll('span') ?? [])].map((span) => span.textContent ?? '').find((text) => /left|Estimating/.test(text)) ?? null;
    const emptyTitle = [...main.querySelectorAll('h2')].map((h) => h.textContent ?? '').find((text) => text === 'No data yet' || text === "Copying this domain's data") ?? null;
    return {
      header: main.querySelector('header')?.textContent ?? '',
      syncing: card !== undefined,
      percent: bar ? Number(bar.getAttribute('aria-valuenow')) : null,
      counters,
      timeLeft,
      latestRun: main.querySelector('[aria-label="Latest syncs, newest first"] li')?.textContent ?? null,
      tables: main.querySelectorAll('[aria-label="Tables and views"] li').length,
      emptyTitle,
    };
  });
}

/** The three places never contradict one another: the header, the tables and the history tell one story. */
function expectConsistent(reading: DataPageReading) {
  const context = JSON.stringify(reading);
  const finished = reading.latestRun !== null && /Completed|Failed|Cancelled/.test(reading.latestRun);
  if (reading.syncing) {
    expect(reading.header, context).toMatch(/First sync in progress|Syncing now/);
    expect(reading.latestRun ?? 'In progress', context).toContain('In progress');
    expect(reading.emptyTitle === "Copying this domain's data" || reading.tables > 0, context).toBe(true);
  }
  if (reading.header.includes('Never synced')) {
    expect(reading.tables, context).toBe(0);
    expect(reading.latestRun ?? '', context).not.toContain('Completed');
  }
  if (finished && reading.latestRun?.includes('Completed')) {
    expect(reading.header, context).toContain('Last synced');
    expect(reading.header, context).not.toMatch(/First sync in progress|Syncing now/);
    expect(reading.tables, context).toBeGreaterThan(0);
    expect(reading.emptyTitle, context).toBeNull();
  }
  if (reading.emptyTitle === 'No data yet') expect(reading.syncing, context).toBe(false);
  if (reading.timeLeft !== null) expect(reading.timeLeft, context).toMatch(/^(Estimating time left…|A few seconds left|About \d+ (s|min|h) left)$/);
}

describe.runIf(browserAvailable())('the first run', () => {
  const scout = useBrowserScout();
  afterEach(async () => {
    await setSimulatorFaults(scout.baseUrl, 'DELETE');
  });


  /** Console messages of a page, to check for React Router's warnings. */
  function consoleOf(page: Page): string[] {
    const messages: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warning' || message.type() === 'error') messages.push(message.text());
    });
    return messages;
  }

  it('takes a new user from sign-up through the demo to its tables, with the header, the progress, the history and the tables agreeing throughout', async () => {
    const page = await scout.newPage();
    const messages = consoleOf(page);
    await signUpThroughForm(page, scout.baseUrl, 'Fiona First');
    await setSimulatorFaults(scout.baseUrl, 'POST', { latencyMs: PAGE_LATENCY_MS });

    // One click: the demo is connected, its first sync starts, and the Data page follows it.
    await tryDemoData(page);
    await expect.poll(() => page.getByRole('progressbar', { name: 'Sync progress' }).isVisible()).toBe(true);

    const readings: DataPageReading[] = [];
    let snapped = false;
    for (let i = 0; i < 400; i++) {
      const reading = await readDataPage(page);
      readings.push(reading);
      expectConsistent(reading);
      const counted = Object.values(reading.counters).some((n) => n !== null && n > 0);
      if (!snapped && reading.syncing && counted) {
        snapped = true;
        await scout.snap(page, 'first-run-data-syncing');
        await page.setViewportSize({ width: 390, height: 844 });
        expectConsistent(await readDataPage(page));
        await scout.snap(page, 'first-run-data-syncing-mobile');
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
        await page.setViewportSize({ width: 1280, height: 800 });
      }
      if (!reading.syncing && reading.tables > 0) break;
      await page.waitForTimeout(150);
    }

    const during = readings.filter((r) => r.syncing);
    expect(during.length).toBeGreaterThan(1);
    // The counters moved as pages landed, well before the tables were being built (the bar's last 5%).
    expect(during.some((r) => (r.percent ?? 100) < 95 && ((r.counters.Cases ?? 0) > 0 || (r.counters.Forms ?? 0) > 0))).toBe(true);
    expect(during.some((r) => r.counters.Forms !== null && (r.counters.Forms ?? 0) > 0 && (r.counters.Forms ?? 0) < DEMO.forms)).toBe(true);
    // Until it has watched a few pages land, the estimate says it is estimating.
    expect(during.some((r) => r.timeLeft === 'Estimating time left…')).toBe(true);

    // The end: tables listed, the header synced, the history completed, all at once.
    await expect.poll(async () => (await readDataPage(page)).tables, { timeout: SYNC_TIMEOUT }).toBeGreaterThan(0);
    const end = await readDataPage(page);
    expectConsistent(end);
    expect(end.syncing).toBe(false);
    expect(end.header).toContain('Last synced just now');
    expect(end.latestRun).toContain('Completed');
    expect(end.latestRun).toContain('rows loaded');

    // A full load of a lazy page (here and on the chat) renders a fallback, with no warning from React Router.
    await page.reload();
    await expect.poll(async () => (await readDataPage(page)).tables).toBeGreaterThan(0);
    expect(messages.filter((m) => m.includes('HydrateFallback'))).toEqual([]);
  });

  it('says once that the chat has no model, points to the SQL console, and folds the setup lines away', async () => {
    const page = await scout.newPage();
    const messages = consoleOf(page);
    await signUpThroughForm(page, scout.baseUrl, 'Nadia Nomodel');
    await tryDemoData(page);

    // A full load of the chat (a lazy page).
    await page.goto(`${scout.baseUrl}/chat`);
    const title = page.getByRole('heading', { name: 'The chat isn’t set up on this server yet' });
    await expect.poll(() => title.isVisible()).toBe(true);
    expect(await title.count()).toBe(1);
    expect(await page.getByText('No language model is configured').count()).toBe(0);
    // Nothing to type into: the way on is the console.
    expect(await page.getByRole('textbox', { name: 'Your question' }).count()).toBe(0);
    const setup = page.getByText('Set up a model (for whoever runs this server)');
    expect(await page.getByText(/^SCOUT_MODEL=anthropic/).isVisible()).toBe(false);
    await scout.snap(page, 'first-run-chat-no-model');

    await setup.click();
    await expect.poll(() => page.getByText(/SCOUT_MODEL=anthropic/).isVisible()).toBe(true);
    await page.setViewportSize({ width: 390, height: 844 });
    // Polled: the page lays itself out again after the resize.
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await scout.snap(page, 'first-run-chat-no-model-mobile');
    expect(messages.filter((m) => m.includes('HydrateFallback'))).toEqual([]);

    await page.getByRole('link', { name: 'Open the SQL console' }).click();
    await page.waitForURL(/\/data$/);
  });
});
