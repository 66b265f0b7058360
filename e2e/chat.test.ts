import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../simulator';
import type { TenantSummary } from '../src/shared/tenants';
import type { MaterializationRun } from '../src/shared/warehouse';
import { analystScript, startScriptedModel, toolResults, type ScriptedModelServer } from '../test/support/scripted-model';
import { signUpThroughForm, tryDemoData } from './support/accounts';
import { browserAvailable } from './support/browser';
import { startBrowserScout, useBrowserScout } from './support/scout';

/** Two domains on an external simulator; the scripted analyst lists tables, counts cases by type and answers. */
const CASES = 150;

describe.runIf(browserAvailable())('the Chat page', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let llm: ScriptedModelServer;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 5, domains: ['demo-clinic', 'field-study', 'new-site'], cases: CASES, formsPerCase: 1, rateLimit: false });
    llm = await startScriptedModel(analystScript);
  });
  afterAll(async () => {
    await llm?.close();
    await sim?.close();
  });
  // After the simulator's and model's hooks: it starts once they are up and stops before they close.
  const scout = useBrowserScout(() => ({ COMMCARE_BASE_URL: sim.url, SCOUT_MODEL: 'openai-compatible:scripted-analyst', SCOUT_MODEL_BASE_URL: llm.baseUrl }));

  const signUp = (page: Page, name: string) => signUpThroughForm(page, scout.baseUrl, name);

  /** Connects and syncs domains through the API from the signed-in page (the Data page's own flow is tested in data.test.ts). */
  async function connectAndSync(page: Page, domains: string[], { sync = true } = {}) {
    await page.evaluate(async ({ names, sync }) => {
      for (const domain of names) {
        const connected = await fetch('/api/auth/tenant-credentials/', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ provider: 'commcare', tenant_id: domain, credential: 'demo@example.com:demo-key' }),
        });
        const { membership_id: id } = (await connected.json()) as { membership_id: string };
        if (!sync) continue;
        const started = (await (await fetch(`/api/tenants/${id}/materializations`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).json()) as {
          run: MaterializationRun;
        };
        for (;;) {
          const run = (await (await fetch(`/api/tenants/${id}/materializations/${started.run.id}`)).json()) as MaterializationRun;
          if (run.state === 'completed') break;
          if (run.state === 'failed') throw new Error(run.error ?? 'sync failed');
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }, { names: domains, sync });
  }

  const question = (page: Page) => page.getByRole('textbox', { name: 'Your question' });
  const answers = (page: Page) => page.getByRole('article', { name: "Scout's answer" });
  const domainSelector = (page: Page) => page.getByRole('combobox', { name: 'Domain' });

  it('answers a question with the streamed text, the result table and the SQL, and keeps the thread', async () => {
    const page = await scout.newPage();
    await signUp(page, 'Ada Analyst');
    await connectAndSync(page, ['demo-clinic', 'field-study']);
    await page.goto(`${scout.baseUrl}/chat`);
    await expect.poll(() => domainSelector(page).isVisible()).toBe(true);
    await domainSelector(page).click();
    await page.getByRole('option', { name: 'demo-clinic' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Ask about demo-clinic' }).isVisible()).toBe(true);
    // Starter questions come from the domain's own case types and forms.
    await expect.poll(() => page.getByRole('button', { name: /^How many \S+ cases were opened each month\?$/ }).count()).toBe(1);
    await expect.poll(() => page.getByRole('navigation', { name: 'Conversations' }).textContent()).toContain('No conversations yet.');
    await scout.snap(page, 'chat-empty');

    await question(page).fill('How many cases are there of each type?');
    await question(page).press('Enter');
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    const threadUrl = page.url();
    const answer = answers(page).first();
    await expect.poll(() => answer.getByText(/^There are/).textContent()).toMatch(new RegExp(`^There are ${CASES} cases in all: `));
    // Markdown bold, rendered, not shown as asterisks.
    expect(await answer.locator('strong').textContent()).toBe(`${CASES} cases`);
    expect(await answer.getByRole('button', { name: 'Listed the tables' }).isVisible()).toBe(true);
    const sql = answer.getByLabel('SQL', { exact: true });
    expect(await sql.textContent()).toBe('SELECT case_type, count(*) AS cases FROM cases GROUP BY case_type ORDER BY case_type');
    const table = answer.getByRole('table', { name: 'Query result' });
    const counts = await table.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(counts.reduce((sum, n) => sum + Number(n.replace(/\D/g, '')), 0)).toBe(CASES);
    expect(await answer.getByRole('button', { name: 'Download CSV' }).isVisible()).toBe(true);
    expect(await answer.getByRole('button', { name: 'Copy SQL' }).isVisible()).toBe(true);
    // Sorting by count, descending on the second click.
    await table.getByRole('button', { name: /^cases/ }).click();
    await table.getByRole('button', { name: /^cases/ }).click();
    const sorted = (await table.locator('tbody tr td:nth-child(2)').allTextContents()).map((n) => Number(n.replace(/\D/g, '')));
    expect(sorted).toEqual([...sorted].sort((a, b) => b - a));
    await expect.poll(() => page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: 'How many cases are there of each type?' }).isVisible()).toBe(true);
    await scout.snap(page, 'chat-answer');

    // Reload: the thread replays exactly, tool outputs included.
    await page.reload();
    await expect.poll(() => answers(page).first().getByRole('table', { name: 'Query result' }).isVisible()).toBe(true);
    expect(page.url()).toBe(threadUrl);
    expect(await answers(page).first().getByText(/^There are/).textContent()).toMatch(new RegExp(`^There are ${CASES} cases in all`));
    expect(await page.getByRole('link', { name: 'How many cases are there of each type?' }).getAttribute('aria-current')).toBe('page');

    // Another domain: a fresh thread, and the first domain's thread isn't listed.
    await domainSelector(page).click();
    await page.getByRole('option', { name: 'field-study' }).click();
    await page.waitForURL(/\/chat$/);
    await expect.poll(() => page.getByRole('heading', { name: 'Ask about field-study' }).isVisible()).toBe(true);
    expect(await answers(page).count()).toBe(0);
    await expect.poll(() => page.getByRole('navigation', { name: 'Conversations' }).textContent()).toContain('No conversations yet.');
  });

  it('shows a failed answer with Retry, and Stop ends a long one', async () => {
    const page = await scout.newPage({ width: 390, height: 844 });
    await signUp(page, 'Retry Person');
    await connectAndSync(page, ['demo-clinic']);
    await page.goto(`${scout.baseUrl}/chat`);
    await expect.poll(() => question(page).isEnabled()).toBe(true);

    llm.setScript(() => ({ status: 503 }));
    await question(page).fill('Will this fail?');
    await question(page).press('Enter');
    await expect.poll(() => page.getByText('The language model provider is having problems.').isVisible(), { timeout: 30_000 }).toBe(true);
    await scout.snap(page, 'chat-error-mobile');
    llm.setScript(analystScript);
    await page.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => answers(page).last().getByText(/^There are/).isVisible()).toBe(true);
    // The failed attempt left no second copy of the question.
    expect(await page.locator('[data-role="user"]').count()).toBe(1);
    // On a phone the conversations open in a sheet.
    await page.getByRole('button', { name: 'Conversations' }).click();
    const sheet = page.getByRole('dialog', { name: 'Conversations' });
    await expect.poll(() => sheet.getByRole('link', { name: 'Will this fail?' }).isVisible()).toBe(true);
    await scout.snap(page, 'chat-threads-mobile');
    await sheet.getByRole('link', { name: 'Will this fail?' }).click();
    await expect.poll(() => sheet.isVisible()).toBe(false);

    llm.setScript(() => ({ text: Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ') }));
    llm.setChunkDelay(30);
    await question(page).fill('Talk for a while');
    await question(page).press('Enter');
    await expect.poll(() => answers(page).last().textContent()).toContain('word5');
    await page.getByRole('button', { name: 'Stop the answer' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Send' }).isVisible()).toBe(true);
    const stoppedAt = (await answers(page).last().textContent()) ?? '';
    expect(stoppedAt).not.toContain('word299');
    llm.setChunkDelay(0);
  });

  it('keeps a question typed while a retry is answering, says so, and sends it once the answer is in', async () => {
    const page = await scout.newPage();
    await signUp(page, 'Patient Person');
    await connectAndSync(page, ['demo-clinic']);
    await page.goto(`${scout.baseUrl}/chat`);
    await expect.poll(() => question(page).isEnabled()).toBe(true);

    llm.setScript(() => ({ status: 503 }));
    await question(page).fill('First question');
    await question(page).press('Enter');
    await expect.poll(() => page.getByRole('button', { name: 'Retry' }).isVisible(), { timeout: 30_000 }).toBe(true);

    // The retry streams slowly; meanwhile the next question is typed and Enter pressed.
    llm.setScript(() => ({ text: Array.from({ length: 120 }, (_, i) => `word${i}`).join(' ') }));
    llm.setChunkDelay(30);
    await page.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => answers(page).last().textContent()).toContain('word3');
    await question(page).fill('Second question');
    await question(page).press('Enter');
    expect(await question(page).inputValue()).toBe('Second question');
    await expect.poll(() => page.getByText(/Scout is still on the last answer\. Your question is kept here/).isVisible()).toBe(true);
    await scout.snap(page, 'chat-question-kept');

    // Once the answer is in, the kept question goes by itself.
    await expect.poll(() => page.locator('[data-role="user"]').filter({ hasText: 'Second question' }).count(), { timeout: 30_000 }).toBe(1);
    expect(await question(page).inputValue()).toBe('');
    llm.setChunkDelay(0);
    await expect.poll(() => page.getByRole('button', { name: 'Send' }).isVisible(), { timeout: 30_000 }).toBe(true);
  });

  it('offers to load the data when there is none, and shows the sync it starts live', async () => {
    const page = await scout.newPage();
    await signUp(page, 'Fresh Start');
    await connectAndSync(page, ['new-site'], { sync: false });
    await page.goto(`${scout.baseUrl}/chat`);
    await expect.poll(() => page.getByText("This domain's data hasn't been loaded yet").isVisible()).toBe(true);
    // No tables yet, so no starter questions.
    expect(await page.getByRole('button', { name: /^How many/ }).count()).toBe(0);
    await scout.snap(page, 'chat-no-data');

    llm.setScript((request) => (toolResults(request).length === 0 ? { toolCalls: [{ name: 'run_materialization', args: {} }] } : { text: 'I started loading your data; it takes a moment.' }));
    sim.simulator.setFaults({ latencyMs: 400 });
    try {
      await question(page).fill('Load my data');
      await question(page).press('Enter');
      const card = answers(page).last().getByRole('region', { name: 'Started a sync' });
      await expect.poll(() => card.isVisible()).toBe(true);
      await expect.poll(() => card.getByText('Completed').isVisible(), { timeout: 60_000 }).toBe(true);
      expect(await card.getByRole('link', { name: 'Follow it on the Data page' }).getAttribute('href')).toBe('/data');
      // Once loaded, the notice goes and starter questions appear.
      await expect.poll(() => page.getByText("This domain's data hasn't been loaded yet").count()).toBe(0);
      await scout.snap(page, 'chat-sync-started');
    } finally {
      sim.simulator.resetFaults();
      llm.setScript(analystScript);
    }
  });

  it('without a model, says how to configure one and points to the SQL console', async () => {
    const bare = await startBrowserScout();
    try {
      const page = await bare.newPage();
      await signUpThroughForm(page, bare.baseUrl, 'No Model');
      // The demo lands on the Data page with its first sync going; the chat is one link away.
      await tryDemoData(page);
      await page.getByRole('link', { name: 'Chat', exact: true }).click();
      await page.waitForURL(/\/chat$/);
      await expect.poll(() => page.getByRole('heading', { name: 'The chat isn’t set up on this server yet' }).isVisible()).toBe(true);
      // Said once, with no question box to type into; the setup lines are folded away for whoever runs the server.
      expect(await question(page).count()).toBe(0);
      expect(await page.getByText(/SCOUT_MODEL=/).first().isVisible()).toBe(false);
      await bare.snap(page, 'chat-no-model');
      await page.getByRole('link', { name: 'Open the SQL console' }).click();
      await page.waitForURL(/\/data$/);
      // The SQL console answers without a model once the data (synced since the demo was connected) is loaded.
      const editor = page.getByLabel('SQL query');
      await expect.poll(() => editor.isVisible(), { timeout: 60_000 }).toBe(true);
      await editor.fill('SELECT count(*)::int AS n FROM cases');
      await page.getByRole('button', { name: 'Run query' }).click();
      const result = page.getByRole('table', { name: 'Query result' });
      await expect.poll(() => result.locator('tbody td').first().textContent()).toBe('1000');
      const [domain] = await page.evaluate(async () => (await fetch('/api/auth/tenants/')).json() as Promise<TenantSummary[]>);
      expect(domain).toBeDefined();
    } finally {
      await bare.stop();
    }
  });
});
