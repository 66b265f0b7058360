import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../simulator';
import type { Dashboard, Question } from '../src/shared/questions';
import type { MaterializationRun } from '../src/shared/warehouse';
import { startScriptedModel, toolResults, type Script, type ScriptedModelServer } from '../test/support/scripted-model';
import { signUpThroughForm } from './support/accounts';
import { browserAvailable } from './support/browser';
import { useBrowserScout } from './support/scout';
import { api } from './support/api';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

const BY_TYPE = 'SELECT case_type, count(*) AS cases FROM cases GROUP BY case_type ORDER BY case_type';
/** A count over a date range: the dashboard's date filter reaches it through `period`. */
const IN_PERIOD = 'SELECT count(*) AS cases FROM cases WHERE date_opened::date BETWEEN {{period.from}} AND {{period.to}}';
const WIDE_PERIOD = { from: '1990-01-01', to: '2099-12-31' };
const EMPTY_PERIOD = { from: '1990-01-01', to: '1990-01-31' };

/** What the scripted analyst proposes to save, through the save_question tool. */
const DRAFT = { title: 'Open cases by type', description: 'How many cases of each type are open.', sql: 'SELECT case_type, count(*) AS cases FROM cases WHERE NOT closed GROUP BY case_type' };

/** Asked to keep something, the analyst runs the query, then proposes it with save_question, then says so. */
const savingAnalyst: Script = (request) => {
  const last = toolResults(request).at(-1);
  if (!last) return { toolCalls: [{ name: 'query', args: { sql: BY_TYPE } }] };
  if (last.name === 'query') return { toolCalls: [{ name: 'save_question', args: { title: DRAFT.title, description: DRAFT.description, sql: DRAFT.sql } }] };
  return { text: 'I drafted that question: press Save to keep it.' };
};

describe.runIf(browserAvailable())('saved questions and dashboards', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let llm: ScriptedModelServer;
  beforeAll(async () => {
    // A domain per test, each owned by its test's user.
    sim = await startSimulator({ port: 0, seed: 7, domains: ['console-clinic', 'chat-clinic', 'report-clinic'], cases: 150, formsPerCase: 1, rateLimit: false });
    llm = await startScriptedModel(savingAnalyst);
  });
  afterAll(async () => {
    await llm?.close();
    await sim?.close();
  });
  const scout = useBrowserScout(() => ({ COMMCARE_BASE_URL: sim.url, SCOUT_MODEL: 'openai-compatible:scripted-analyst', SCOUT_MODEL_BASE_URL: llm.baseUrl }));
  const snap = (page: Page, name: string) => scout.snap(page, name);

  /** The domain's questions called `title`. */
  async function titled(page: Page, membershipId: string, title: string): Promise<Question[]> {
    return (await api<Question[]>(page, 'GET', `/api/tenants/${membershipId}/questions`)).filter((q) => q.title === title);
  }

  /** A new user owning `domain` (one of the simulator's), connected and synced through the API; returns the membership id. */
  async function userWithDomain(page: Page, name: string, domain: string): Promise<string> {
    await signUpThroughForm(page, scout.baseUrl, name);
    return page.evaluate(async (domain) => {
      const connected = await fetch('/api/auth/tenant-credentials/', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ provider: 'commcare', tenant_id: domain, credential: 'demo@example.com:demo-key' }),
      });
      const { membership_id: id } = (await connected.json()) as { membership_id: string };
      const started = await fetch(`/api/tenants/${id}/materializations`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      let runId = started.ok ? ((await started.json()) as { run: MaterializationRun }).run.id : undefined;
      for (;;) {
        if (!runId) runId = ((await (await fetch(`/api/tenants/${id}/materializations`)).json()) as MaterializationRun[])[0]?.id;
        if (runId) {
          const run = (await (await fetch(`/api/tenants/${id}/materializations/${runId}`)).json()) as MaterializationRun;
          if (run.state === 'completed') return id;
          if (run.state === 'failed' || run.state === 'cancelled') throw new Error(run.error ?? `sync ${run.state}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }, domain);
  }

  /** What the query tool says the SQL counts, straight from the API: what the pages must agree with. */
  function countOf(page: Page, membershipId: string, sql: string): Promise<number> {
    return page.evaluate(
      async ({ id, sql }) => {
        const response = await fetch(`/api/tenants/${id}/tools/query`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ sql }) });
        const envelope = (await response.json()) as { data: { rows: unknown[][] } };
        return Number(envelope.data.rows[0]?.[0]);
      },
      { id: membershipId, sql },
    );
  }

  const dialog = (page: Page) => page.getByRole('dialog');
  const tile = (page: Page, title: string) => page.getByRole('article', { name: title });
  const bigNumber = (scope: Locator) => scope.locator('[data-big-number]');
  /** Nothing on the page is wider than the window: no sideways scrolling on a phone. */
  const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  async function pick(page: Page, combobox: Locator, option: string | RegExp) {
    await combobox.click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  it('saves a query from the SQL console with its chart, and a parameterised one whose placeholders it lists', async () => {
    const page = await scout.newPage(DESKTOP);
    const membershipId = await userWithDomain(page, 'Grace Hopper', 'console-clinic');
    await page.goto(`${scout.baseUrl}/data`);
    const editor = page.getByLabel('SQL query');
    await expect.poll(() => editor.isVisible()).toBe(true);
    await editor.fill(BY_TYPE);
    await page.getByRole('button', { name: 'Run query' }).click();
    await expect.poll(() => page.locator('[data-chart-state="drawn"]').count()).toBe(1);

    await snap(page, 'questions-console-1280');
    await page.getByRole('button', { name: 'Save as question' }).click();
    await expect.poll(() => dialog(page).getByLabel('SQL').inputValue()).toBe(BY_TYPE);
    // No placeholders, no parameters to describe; the chart on show goes along.
    expect(await dialog(page).getByRole('list', { name: 'Parameters' }).count()).toBe(0);
    expect(await dialog(page).textContent()).toContain('Saves the chart too');
    await dialog(page).getByLabel('Title').fill('Cases by type');
    await snap(page, 'questions-save-dialog');
    await dialog(page).getByRole('button', { name: 'Save question' }).click();
    await page.getByRole('button', { name: 'Open question' }).click();
    await page.waitForURL(/\/questions\/[0-9a-f-]{36}$/);

    // The question runs on opening (nothing to fill in) and draws the chart it was saved with.
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Cases by type' }).isVisible()).toBe(true);
    await expect.poll(() => page.locator('[data-chart-state="drawn"] .mark-rect path').count()).toBeGreaterThan(1);
    const saved = await titled(page, membershipId, 'Cases by type');
    expect(saved.map((q) => [q.sql, q.chart?.kind])).toEqual([[BY_TYPE, 'bar']]);
    await snap(page, 'questions-question-1280');

    // A placeholder typed into the SQL shows up as a parameter, `.from`/`.to` making it a date range.
    await page.goto(`${scout.baseUrl}/data`);
    await expect.poll(() => editor.isVisible()).toBe(true);
    await editor.fill(IN_PERIOD);
    await page.getByRole('button', { name: 'Save as question' }).click();
    const parameter = dialog(page).getByRole('listitem', { name: 'Parameter period' });
    await expect.poll(() => parameter.isVisible()).toBe(true);
    expect(await parameter.getByRole('combobox', { name: 'Type of period' }).textContent()).toBe('Date range');
    await dialog(page).getByLabel('Title').fill('Cases opened in a period');
    // One end without the other is refused before anything is sent.
    await parameter.getByLabel('Default of period from').fill(WIDE_PERIOD.from);
    await dialog(page).getByRole('button', { name: 'Save question' }).click();
    await expect.poll(() => parameter.textContent()).toContain('Give both dates, or neither');
    await parameter.getByLabel('Default of period to').fill(WIDE_PERIOD.to);
    await snap(page, 'questions-save-parameters');
    await dialog(page).getByRole('button', { name: 'Save question' }).click();
    await expect.poll(() => dialog(page).count()).toBe(0);

    const [inPeriod] = await titled(page, membershipId, 'Cases opened in a period');
    expect(inPeriod?.parameters).toEqual([{ name: 'period', type: 'date_range', default: WIDE_PERIOD }]);

    // On its page the range starts at its default; an empty range counts nothing.
    await page.goto(`${scout.baseUrl}/questions/${inPeriod!.id}`);
    const all = await countOf(page, membershipId, `SELECT count(*) FROM cases WHERE date_opened::date BETWEEN '${WIDE_PERIOD.from}' AND '${WIDE_PERIOD.to}'`);
    expect(all).toBeGreaterThan(0);
    const table = page.getByRole('table', { name: 'Query result' });
    await expect.poll(() => table.locator('tbody td').first().textContent()).toBe(String(all));
    expect(await page.getByLabel('period from', { exact: true }).inputValue()).toBe(WIDE_PERIOD.from);
    await page.getByLabel('period to', { exact: true }).fill(EMPTY_PERIOD.to);
    await page.getByLabel('period from', { exact: true }).fill(EMPTY_PERIOD.from);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => table.locator('tbody td').first().textContent()).toBe('0');

    // The list finds questions by their words.
    await page.goto(`${scout.baseUrl}/questions`);
    const listed = () => page.getByRole('list', { name: 'Saved questions' }).getByRole('link').allTextContents();
    await expect.poll(listed).toEqual(expect.arrayContaining(['Cases by type', 'Cases opened in a period']));
    await page.getByRole('searchbox', { name: 'Search questions' }).fill('period');
    await expect.poll(listed).toEqual(['Cases opened in a period']);
    await snap(page, 'questions-list-1280');

    // On a phone the question's page fits the width, its two dates included.
    await page.setViewportSize(PHONE);
    await page.goto(`${scout.baseUrl}/questions/${inPeriod!.id}`);
    await expect.poll(() => table.locator('tbody td').first().textContent()).toBe(String(all));
    await expect.poll(() => fitsWidth(page)).toBe(true);
    await snap(page, 'questions-question-390');
  });

  it('saves from a chat answer: the Save under a query, and the agent’s draft only once the user confirms it', async () => {
    const page = await scout.newPage(DESKTOP);
    const membershipId = await userWithDomain(page, 'Katherine Johnson', 'chat-clinic');
    await page.goto(`${scout.baseUrl}/chat`);
    const box = page.getByRole('textbox', { name: 'Your question' });
    await expect.poll(() => box.isVisible()).toBe(true);
    await box.fill('Count the cases by type and save that for me');
    await box.press('Enter');

    const card = page.getByRole('region', { name: 'Save this question?' });
    await expect.poll(() => card.isVisible()).toBe(true);
    expect(await card.textContent()).toContain(DRAFT.title);
    expect(await card.textContent()).toContain('NOT closed');
    // Proposed is not saved.
    expect(await titled(page, membershipId, DRAFT.title)).toEqual([]);
    await snap(page, 'questions-chat-draft');

    await card.getByRole('button', { name: 'Save' }).click();
    const saved = page.getByRole('region', { name: 'Saved' });
    await expect.poll(() => saved.getByRole('link', { name: `Open “${DRAFT.title}”` }).isVisible()).toBe(true);
    const afterDraft = await titled(page, membershipId, DRAFT.title);
    expect(afterDraft.map((q) => [q.description, q.sql])).toEqual([[DRAFT.description, DRAFT.sql]]);

    // The query card's own Save opens the dialog on the SQL the agent ran.
    const queryCard = page.locator('section[data-tool="query"]');
    await queryCard.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => dialog(page).getByLabel('SQL').inputValue()).toBe(BY_TYPE);
    await dialog(page).getByLabel('Title').fill('Every case by type');
    await dialog(page).getByRole('button', { name: 'Save question' }).click();
    await expect.poll(async () => (await titled(page, membershipId, 'Every case by type')).map((q) => q.sql)).toEqual([BY_TYPE]);
    expect(await titled(page, membershipId, DRAFT.title)).toHaveLength(1);

    // Reloaded, the thread's card knows its draft was saved and doesn't ask again.
    await page.reload();
    await expect.poll(() => saved.getByRole('link', { name: `Open “${DRAFT.title}”` }).isVisible()).toBe(true);
    expect(await page.getByRole('region', { name: 'Save this question?' }).count()).toBe(0);

    await saved.getByRole('link', { name: `Open “${DRAFT.title}”` }).click();
    await page.waitForURL(/\/questions\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByRole('heading', { level: 1, name: DRAFT.title }).isVisible()).toBe(true);
  });

  it('builds a dashboard with a chart, a big number and a date filter, refreshes a tile, and shares it signed out', async () => {
    const page = await scout.newPage(DESKTOP);
    const membershipId = await userWithDomain(page, 'Dorothy Vaughan', 'report-clinic');
    const base = `/api/tenants/${membershipId}/questions`;
    await api(page, 'POST', base, { title: 'Report: cases by type', sql: BY_TYPE, chart: { kind: 'bar', x: 'case_type', y: 'cases' } });
    await api(page, 'POST', base, { title: 'Report: cases in a period', sql: IN_PERIOD, parameters: [{ name: 'period', type: 'date_range', default: WIDE_PERIOD }] });
    const all = await countOf(page, membershipId, `SELECT count(*) FROM cases WHERE date_opened::date BETWEEN '${WIDE_PERIOD.from}' AND '${WIDE_PERIOD.to}'`);
    expect(all).toBeGreaterThan(0);
    const types = await countOf(page, membershipId, 'SELECT count(DISTINCT case_type) FROM cases');

    await page.goto(`${scout.baseUrl}/dashboards`);
    await expect.poll(() => page.getByRole('heading', { name: 'No dashboards yet' }).isVisible()).toBe(true);
    await snap(page, 'dashboards-empty');
    await page.getByRole('button', { name: 'New dashboard' }).first().click();
    await dialog(page).getByLabel('Title').fill('Field report');
    await dialog(page).getByRole('button', { name: 'Create dashboard' }).click();
    await page.waitForURL(/\/dashboards\/[0-9a-f-]{36}$/);
    const dashboardId = new URL(page.url()).pathname.split('/').at(-1)!;

    // A new dashboard opens in edit mode: add the filter, then the two tiles.
    await page.getByRole('button', { name: 'Add filter' }).click();
    await dialog(page).getByLabel('Label').fill('Period');
    expect(await dialog(page).getByLabel('Name').inputValue()).toBe('period');
    await dialog(page).getByLabel('Default from').fill(WIDE_PERIOD.from);
    await dialog(page).getByLabel('Default to').fill(WIDE_PERIOD.to);
    await dialog(page).getByRole('button', { name: 'Add filter' }).click();

    await page.getByRole('button', { name: 'Add tile' }).click();
    await pick(page, dialog(page).getByRole('combobox', { name: 'Question' }), 'Report: cases by type');
    await dialog(page).getByRole('button', { name: 'Add tile' }).click();

    await page.getByRole('button', { name: 'Add tile' }).click();
    await pick(page, dialog(page).getByRole('combobox', { name: 'Shows' }), 'Big number');
    await pick(page, dialog(page).getByRole('combobox', { name: 'Question' }), 'Report: cases in a period');
    // The filter meets the parameter of its own name by itself.
    expect(await dialog(page).getByRole('combobox', { name: 'Parameter for Period' }).textContent()).toBe('period');
    await dialog(page).getByLabel('Title').fill('Cases in the period');
    await dialog(page).getByRole('button', { name: 'Add tile' }).click();

    await page.getByRole('button', { name: 'Add tile' }).click();
    await pick(page, dialog(page).getByRole('combobox', { name: 'Shows' }), 'Text note');
    await dialog(page).getByLabel('Note').fill('Counts from the **demo** clinic.');
    await dialog(page).getByLabel('Title').fill('About');
    await dialog(page).getByRole('button', { name: 'Add tile' }).click();
    await expect.poll(() => page.getByRole('article').count()).toBe(3);
    await snap(page, 'dashboards-editing-1280');
    await page.getByRole('button', { name: 'Save dashboard' }).click();

    // Saved, it shows both tiles' live results: one bar per case type, and the count of every case.
    const chartTile = tile(page, 'Report: cases by type');
    const numberTile = tile(page, 'Cases in the period');
    await expect.poll(() => chartTile.locator('[data-chart-state="drawn"] .mark-rect path').count()).toBe(types);
    await expect.poll(() => bigNumber(numberTile).textContent()).toBe(all.toLocaleString('en-US'));
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Last refreshed' }).textContent()).toMatch(/Last refreshed just now$/);
    const stored = await api<Dashboard>(page, 'GET', `/api/tenants/${membershipId}/dashboards/${dashboardId}`);
    expect(stored.filters).toEqual([{ name: 'period', type: 'date_range', label: 'Period', default: WIDE_PERIOD }]);
    expect(stored.tiles.map((t) => [t.kind, t.title, t.filters ?? {}])).toEqual([
      ['question', 'Report: cases by type', {}],
      ['number', 'Cases in the period', { period: 'period' }],
      ['text', 'About', {}],
    ]);
    // The small tiles went beside the chart, not under it.
    expect(stored.tiles.map((t) => t.layout)).toEqual([
      { x: 0, y: 0, w: 6, h: 8 },
      { x: 6, y: 0, w: 3, h: 4 },
      { x: 6, y: 4, w: 4, h: 4 },
    ]);
    expect(await tile(page, 'About').locator('strong').textContent()).toBe('demo');
    await snap(page, 'dashboards-view-1280');

    // Full screen shows the grid alone, and comes back.
    await page.getByRole('button', { name: 'Full screen' }).click();
    await expect.poll(() => page.evaluate(() => document.fullscreenElement?.getAttribute('data-fullscreen') ?? null)).toBe('true');
    await snap(page, 'dashboards-fullscreen');
    await page.getByRole('button', { name: 'Exit full screen' }).click();
    await expect.poll(() => page.evaluate(() => document.fullscreenElement === null)).toBe(true);

    // The filter reaches the tile that maps it, and only that one.
    const bar = page.getByRole('form', { name: 'Filters' });
    await bar.getByLabel('Period from').fill(EMPTY_PERIOD.from);
    await bar.getByLabel('Period to').fill(EMPTY_PERIOD.to);
    await bar.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => bigNumber(numberTile).textContent()).toBe('0');
    await expect.poll(() => chartTile.locator('[data-chart-state="drawn"] .mark-rect path').count()).toBe(types);

    // One tile's refresh asks for that tile alone, with the filters on the bar.
    const asked: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/data')) asked.push(new URL(request.url()).pathname + new URL(request.url()).search);
    });
    await numberTile.getByRole('button', { name: 'Refresh Cases in the period' }).click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toMatch(new RegExp(`/tiles/[\\w-]+/data\\?filter\\.period\\.from=${EMPTY_PERIOD.from}&filter\\.period\\.to=${EMPTY_PERIOD.to}$`));
    await expect.poll(() => numberTile.getAttribute('aria-busy')).toBe(null);
    expect(await bigNumber(numberTile).textContent()).toBe('0');

    // On a phone the tiles stack in one column, in reading order, and nothing scrolls sideways.
    await page.setViewportSize(PHONE);
    await expect.poll(() => page.locator('[data-layout="stacked"]').count()).toBe(1);
    expect(await page.getByRole('list', { name: 'Tiles' }).getByRole('article').evaluateAll((tiles) => tiles.map((t) => t.getAttribute('aria-label')))).toEqual(['Report: cases by type', 'Cases in the period', 'About']);
    await expect.poll(() => fitsWidth(page)).toBe(true);
    await snap(page, 'dashboards-view-390');
    await page.setViewportSize(DESKTOP);

    // Scheduled and run once, the dashboard has stored results: what a share link shows.
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    expect(await dialog(page).getByLabel('Time zone').inputValue()).toBe(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone));
    await dialog(page).getByRole('button', { name: 'Save schedule' }).click();
    await expect.poll(() => page.getByRole('group', { name: 'Schedule' }).textContent()).toMatch(/Every day at 07:00/);
    await page.getByRole('button', { name: 'Run now' }).click();
    await expect.poll(() => page.getByText('Ran it now; its results are kept.').isVisible()).toBe(true);
    // Opened again (the filters at their defaults, as the schedule runs them), the dashboard shows the stored run without running anything.
    const live: string[] = [];
    page.on('request', (request) => {
      if (/\/data(\?(?!source=stored)|$)/.test(request.url())) live.push(request.url());
    });
    await page.reload();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Last refreshed' }).textContent()).toMatch(/from the scheduled run$/);
    await expect.poll(() => bigNumber(numberTile).textContent()).toBe(all.toLocaleString('en-US'));
    expect(live).toEqual([]);

    // A colleague who joins the domain opens the same dashboard from its stored run, and may not edit it.
    const colleague = await scout.newPage(DESKTOP);
    await userWithDomain(colleague, 'Mary Jackson', 'report-clinic');
    await colleague.goto(`${scout.baseUrl}/dashboards`);
    await colleague.getByRole('link', { name: 'Field report' }).first().click();
    await expect.poll(() => colleague.getByRole('status').filter({ hasText: 'Last refreshed' }).textContent()).toMatch(/from the scheduled run$/);
    await expect.poll(() => bigNumber(tile(colleague, 'Cases in the period')).textContent()).toBe(all.toLocaleString('en-US'));
    expect(await colleague.getByRole('button', { name: 'Edit', exact: true }).count()).toBe(0);
    expect(await colleague.getByRole('button', { name: 'Share', exact: true }).count()).toBe(0);
    await expect.poll(() => tile(colleague, 'Report: cases by type').locator('[data-chart-state="drawn"] .mark-rect path').count()).toBe(types);
    await snap(colleague, 'dashboards-colleague-1280');
    await colleague.context().close();

    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await dialog(page).getByLabel('Expires after (days)').fill('7');
    await dialog(page).getByRole('button', { name: 'Create link' }).click();
    const link = dialog(page).getByRole('textbox', { name: 'Share link' });
    await expect.poll(() => link.inputValue()).toMatch(/\/shared\/[\w-]{20,}$/);
    const url = await link.inputValue();
    await snap(page, 'dashboards-share-link');
    await dialog(page).getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => page.getByRole('group', { name: 'Share link' }).textContent()).toContain('Shared by link until');

    // Signed out, in a browser of its own: the stored results, read-only, kept out of search engines.
    const stranger = await scout.newPage(DESKTOP);
    await stranger.goto(url);
    await expect.poll(() => stranger.getByRole('heading', { level: 1, name: 'Field report' }).isVisible()).toBe(true);
    await expect.poll(() => tile(stranger, 'Report: cases by type').locator('[data-chart-state="drawn"] .mark-rect path').count()).toBe(types);
    expect(await bigNumber(tile(stranger, 'Cases in the period')).textContent()).toBe(all.toLocaleString('en-US'));
    expect(await stranger.getByText(/^Data as of /).count()).toBe(1);
    expect(await stranger.locator('meta[name="robots"]').getAttribute('content')).toContain('noindex');
    expect(await stranger.getByRole('button', { name: /Edit|Refresh/ }).count()).toBe(0);
    await snap(stranger, 'dashboards-shared-1280');
    await stranger.setViewportSize(PHONE);
    await expect.poll(() => fitsWidth(stranger)).toBe(true);
    await snap(stranger, 'dashboards-shared-390');

    // Revoked, the same link says so.
    await page.getByRole('button', { name: 'Revoke link' }).click();
    await dialog(page).getByRole('button', { name: 'Revoke link' }).click();
    await expect.poll(() => page.getByRole('group', { name: 'Share link' }).textContent()).toContain('Not shared');
    await stranger.reload();
    await expect.poll(() => stranger.getByRole('heading', { level: 1, name: 'This link has expired or was revoked' }).isVisible()).toBe(true);
    await snap(stranger, 'dashboards-shared-revoked');

    // A tile whose question is gone says so; the other tiles still show theirs.
    const [inPeriod] = await titled(page, membershipId, 'Report: cases in a period');
    await api(page, 'DELETE', `${base}/${inPeriod!.id}`);
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await expect.poll(() => numberTile.getByRole('alert').textContent()).toContain('deleted');
    await expect.poll(() => chartTile.locator('[data-chart-state="drawn"] .mark-rect path').count()).toBe(types);
    expect(await tile(page, 'About').textContent()).toContain('Counts from the demo clinic.');
    await snap(page, 'dashboards-tile-error');
  });
});
