import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorSummary } from '../src/shared/connectors';
import type { Publication } from '../src/shared/publications';
import type { Question } from '../src/shared/questions';
import type { TenantSummary } from '../src/shared/tenants';
import type { MaterializationRun } from '../src/shared/warehouse';
import { startWordPress, wordpressAvailable, type WordPressSite } from '../test/support/wordpress';
import { signUpThroughForm } from './support/accounts';
import { browserAvailable } from './support/browser';
import { useBrowserScout } from './support/scout';
import { api } from './support/api';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const BY_TYPE = 'SELECT case_type, count(*) AS cases FROM cases GROUP BY case_type ORDER BY case_type';
const TITLE = 'Cases by type';

describe.runIf(browserAvailable() && wordpressAvailable())('publishing to WordPress', () => {
  // A real WordPress to publish to, started before Scout so Scout may reach it (SCOUT_EGRESS_ALLOW).
  let wp: WordPressSite;
  beforeAll(async () => {
    wp = await startWordPress();
  });
  afterAll(async () => {
    await wp?.stop();
  });
  const scout = useBrowserScout(() => ({ SCOUT_EGRESS_ALLOW: wp.hostPort }));
  const snap = (page: Page, name: string) => scout.snap(page, name);

  /** A new account with the demo domain connected and synced: the first is its owner, later ones analysts. */
  async function demoUser(name: string, viewport = DESKTOP): Promise<{ page: Page; membershipId: string }> {
    const page = await scout.newPage(viewport);
    await signUpThroughForm(page, scout.baseUrl, name);
    await page.getByRole('button', { name: 'Try with demo data' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/onboarding'));
    const [domain] = await api<TenantSummary[]>(page, 'GET', '/api/auth/tenants/');
    const membershipId = domain!.id;
    await expect
      .poll(async () => (await api<MaterializationRun[]>(page, 'GET', `/api/tenants/${membershipId}/materializations`)).some((run) => run.state === 'completed'), { timeout: 60_000 })
      .toBe(true);
    return { page, membershipId };
  }

  /** WordPress's REST API as its administrator sees it (drafts included). */
  async function wordpress<T>(route: string): Promise<T> {
    const url = new URL(wp.url);
    url.searchParams.set('rest_route', route);
    url.searchParams.set('context', 'edit');
    const response = await fetch(url, { headers: { authorization: `Basic ${Buffer.from(`${wp.admin.username}:${wp.admin.appPassword}`).toString('base64')}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  }

  /** The demo domain's owner, made by whichever test asks first (the next account to sign up is an analyst). */
  let owner: Promise<{ page: Page; membershipId: string }> | undefined;
  const demoOwner = () => (owner ??= demoUser('Olive Owner'));

  const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it('an owner tests WordPress, publishes a question with its chart after approving it, and the post is on the site; an analyst cannot approve', async () => {
    const { page, membershipId } = await demoOwner();
    const base = `/api/tenants/${membershipId}`;
    await api<ConnectorSummary>(page, 'POST', `${base}/connectors`, {
      catalog_key: 'wordpress',
      name: 'Blog WP',
      config: { base_url: wp.url, default_status: 'draft' },
      auth: { username: wp.admin.username, application_password: wp.admin.appPassword },
    });

    // Activation tests the connection; the card says as whom, and a test on demand says so again.
    await page.goto(`${scout.baseUrl}/connectors`);
    const card = page.getByRole('group', { name: 'Blog WP' });
    await expect.poll(() => card.getByText('Connection not tested yet.').isVisible()).toBe(true);
    await card.getByRole('button', { name: 'Activate' }).click();
    await expect.poll(() => card.getByRole('group', { name: 'Last connection test' }).textContent()).toMatch(/Test passed.*admin/);
    expect(await card.textContent()).toContain('Active');
    await card.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => page.getByText(/Connected to .* as admin/).first().isVisible()).toBe(true);
    expect(await card.getByRole('group', { name: 'Last publication' }).textContent()).toContain('Nothing published through it yet.');
    await snap(page, 'publishing-connector-tested');

    // A question with a chart, published from its page.
    const question = await api<Question>(page, 'POST', `${base}/questions`, { title: TITLE, sql: BY_TYPE, chart: { kind: 'bar', x: 'case_type', y: 'cases' } });
    await page.goto(`${scout.baseUrl}/questions/${question.id}`);
    await expect.poll(() => page.locator('[data-chart-state="drawn"]').count()).toBe(1);
    await page.getByRole('button', { name: 'Publish' }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish' });
    await expect.poll(() => dialog.getByRole('combobox', { name: 'Publish to' }).textContent()).toBe('Blog WP (WordPress)');
    expect(await dialog.getByRole('textbox', { name: 'Title' }).inputValue()).toBe(TITLE);
    expect(await dialog.getByRole('textbox', { name: 'Text' }).inputValue()).toMatch(/^\d+ rows:\n\w+: \d+ cases\n/);
    expect(await dialog.getByLabel('Attach the chart').isChecked()).toBe(true);
    // The preview is WordPress's HTML, in a frame that may run nothing.
    const frame = dialog.locator('iframe[title="Preview on Blog WP"]');
    await expect.poll(() => frame.getAttribute('srcdoc')).toContain(`<h1>${TITLE}</h1>`);
    expect(await frame.getAttribute('sandbox')).toBe('');
    await dialog.getByRole('textbox', { name: 'Title' }).fill(`${TITLE} <this week>`);
    await expect.poll(() => frame.getAttribute('srcdoc')).toContain(`<h1>${TITLE} &lt;this week&gt;</h1>`);
    await dialog.getByRole('textbox', { name: 'Title' }).fill(TITLE);
    await dialog.getByLabel('Attach a table excerpt', { exact: false }).check();
    await expect.poll(() => frame.getAttribute('srcdoc')).toContain('<table');
    await snap(page, 'publishing-compose-1280');
    await page.setViewportSize(PHONE);
    await snap(page, 'publishing-compose-390');
    await page.setViewportSize(DESKTOP);
    await dialog.getByRole('button', { name: 'Send for approval' }).click();
    await expect.poll(() => page.getByText(`Sent “${TITLE}” for approval`).isVisible()).toBe(true);
    const [sent] = await api<Publication[]>(page, 'GET', `${base}/publications`);
    expect(sent).toMatchObject({ title: TITLE, state: 'pending_approval', source: { kind: 'question', id: question.id }, connector: { name: 'Blog WP' } });
    expect(sent!.chart).not.toBeNull();
    expect(sent!.table?.columns).toEqual(['case_type', 'cases']);

    // It waits on the Publications page.
    await page.getByRole('button', { name: 'Open Publications' }).click();
    await page.waitForURL(/\/publications$/);
    const waiting = page.getByRole('list', { name: 'Waiting for approval' }).getByRole('article', { name: TITLE });
    await expect.poll(() => waiting.textContent()).toContain('Waiting for approval');
    expect(await waiting.textContent()).toMatch(/To Blog WP \(WordPress\).*Drafted by Olive Owner/);
    expect(await waiting.textContent()).toContain('Chart attached');
    await waiting.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => waiting.frameLocator('iframe').getByRole('heading', { level: 1 }).textContent()).toBe(TITLE);
    await snap(page, 'publishing-pending-1280');

    // An analyst of the domain sees it waiting, with nothing to approve it with.
    const analyst = (await demoUser('Andy Analyst', PHONE)).page;
    await analyst.goto(`${scout.baseUrl}/publications`);
    const seen = analyst.getByRole('article', { name: TITLE });
    await expect.poll(() => seen.textContent()).toContain('approves it');
    expect(await seen.getByRole('button', { name: /Approve|Reject|Retry/ }).count()).toBe(0);
    await expect.poll(() => fitsWidth(analyst)).toBe(true);
    await snap(analyst, 'publishing-analyst-390');

    // Approved, it is published in the background; the item follows it to the link to the post.
    await waiting.getByRole('button', { name: 'Approve and publish' }).click();
    const link = waiting.getByRole('link', { name: 'View the post' });
    await expect.poll(() => link.isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    const postUrl = await link.getAttribute('href');
    expect(await waiting.textContent()).toContain('Approved by Olive Owner');
    await snap(page, 'publishing-published-1280');
    await page.getByRole('tab', { name: 'History' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'History' }).getByRole('article', { name: TITLE }).textContent()).toContain('Published');
    await page.setViewportSize(PHONE);
    await expect.poll(() => fitsWidth(page)).toBe(true);
    await snap(page, 'publishing-history-390');
    await page.setViewportSize(DESKTOP);

    // The post is on the site, as a draft (the connector's status), with the chart as its image.
    const [published] = await api<Publication[]>(page, 'GET', `${base}/publications?state=published`);
    expect(published).toMatchObject({ id: sent!.id, approved_by: { name: 'Olive Owner' } });
    expect(postUrl).toBe(published!.external_url);
    const post = await wordpress<{ title: { raw: string }; content: { raw: string }; status: string; featured_media: number }>(`/wp/v2/posts/${published!.external_id}`);
    expect(post.title.raw).toBe(TITLE);
    expect(post.status).toBe('draft');
    expect(post.content.raw).toContain('case_type');
    expect(post.featured_media).toBeGreaterThan(0);
    const media = await wordpress<{ mime_type: string; post: number }>(`/wp/v2/media/${post.featured_media}`);
    expect(media.mime_type).toBe('image/png');

    // The connector's card names its last publication, linking to the post.
    await page.goto(`${scout.baseUrl}/connectors`);
    const last = page.getByRole('group', { name: 'Blog WP' }).getByRole('group', { name: 'Last publication' });
    await expect.poll(() => last.textContent()).toContain(`${TITLE} (published)`);
    expect(await last.getByRole('link', { name: TITLE }).getAttribute('href')).toBe(published!.external_url);
    await snap(page, 'publishing-connector-last-1280');

    // Scheduled, the question can deliver each run; publishing without approval is the owner's explicit, warned choice.
    await api(page, 'PUT', `${base}/questions/${question.id}/schedule`, { every: 'week', day: 'mon', at: '07:00', timezone: 'UTC' });
    await page.goto(`${scout.baseUrl}/questions/${question.id}`);
    const delivery = page.getByRole('group', { name: 'Delivery' });
    await expect.poll(() => delivery.textContent()).toContain('Runs are not delivered anywhere');
    await delivery.getByRole('button', { name: 'Deliver runs' }).click();
    const form = page.getByRole('dialog', { name: 'Deliver each run' });
    await expect.poll(() => form.getByRole('combobox', { name: 'Deliver each run to' }).textContent()).toBe('Blog WP (WordPress)');
    const auto = form.getByRole('checkbox', { name: 'Publish each run without approval' });
    expect(await auto.isChecked()).toBe(false);
    expect(await form.textContent()).toContain('Posts every run without anyone approving it');
    await auto.check();
    await snap(page, 'publishing-delivery-1280');
    await form.getByRole('button', { name: 'Save delivery' }).click();
    await expect.poll(() => delivery.textContent()).toContain('Each run is delivered to Blog WP');
    expect(await delivery.textContent()).toContain('Published without approval');
    expect(await api(page, 'GET', `${base}/questions/${question.id}/schedule/delivery`)).toMatchObject({ auto_publish: true });

    // The analyst sees where runs go, and can't change it.
    await analyst.goto(`${scout.baseUrl}/questions/${question.id}`);
    const seenDelivery = analyst.getByRole('group', { name: 'Delivery' });
    await expect.poll(() => seenDelivery.textContent()).toContain('Each run is delivered to Blog WP');
    expect(await seenDelivery.getByRole('button').count()).toBe(0);
    await expect.poll(() => fitsWidth(analyst)).toBe(true);
    await snap(analyst, 'publishing-question-analyst-390');
  });
  it("an owner publishes a weekly dashboard summary with its chart after approving it, and the post is on the WordPress site", async () => {
    const { page, membershipId } = await demoOwner();
    const base = `/api/tenants/${membershipId}`;
    const connector = await api<ConnectorSummary>(page, 'POST', `${base}/connectors`, {
      catalog_key: 'wordpress',
      name: 'Programme site',
      config: { base_url: wp.url, default_status: 'publish' },
      auth: { username: wp.admin.username, application_password: wp.admin.appPassword },
    });
    expect((await api<ConnectorSummary>(page, 'PATCH', `${base}/connectors/${connector.id}`, { status: 'active' })).status).toBe('active');

    // A dashboard with a chart tile and a text tile, as the weekly summary.
    const byType = await api<Question>(page, 'POST', `${base}/questions`, { title: 'Weekly cases by type', sql: BY_TYPE, chart: { kind: 'bar', x: 'case_type', y: 'cases' } });
    const dashboard = await api<{ id: string }>(page, 'POST', `${base}/dashboards`, {
      title: 'Weekly programme summary',
      description: 'What the programme saw this week.',
      tiles: [
        { id: 'by-type', kind: 'question', question_id: byType.id, display: 'chart', layout: { x: 0, y: 0, w: 8, h: 6 } },
        { id: 'note', kind: 'text', text: 'Reviewed every Monday.', layout: { x: 8, y: 0, w: 4, h: 3 } },
      ],
    });
    await page.goto(`${scout.baseUrl}/dashboards/${dashboard.id}`);
    await expect.poll(() => page.locator('[data-chart-state="drawn"]').count()).toBe(1);
    await page.getByRole('button', { name: 'Publish' }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish' });
    await expect.poll(() => dialog.getByRole('combobox', { name: 'Publish to' }).isVisible()).toBe(true);
    await dialog.getByRole('combobox', { name: 'Publish to' }).click();
    await page.getByRole('option', { name: 'Programme site (WordPress)' }).click();
    expect(await dialog.getByRole('textbox', { name: 'Title' }).inputValue()).toBe('Weekly programme summary');
    expect(await dialog.getByRole('textbox', { name: 'Text' }).inputValue()).toContain('What the programme saw this week.');
    expect(await dialog.getByLabel('Attach the chart').isChecked()).toBe(true);
    const frame = dialog.locator('iframe[title="Preview on Programme site"]');
    await expect.poll(() => frame.getAttribute('srcdoc')).toContain('<h1>Weekly programme summary</h1>');
    await snap(page, 'publishing-dashboard-compose-1280');
    await dialog.getByRole('button', { name: 'Send for approval' }).click();
    await expect.poll(() => page.getByText('Sent “Weekly programme summary” for approval').isVisible()).toBe(true);
    const sent = (await api<Publication[]>(page, 'GET', `${base}/publications?state=pending_approval`)).find((p) => p.title === 'Weekly programme summary');
    expect(sent).toMatchObject({ source: { kind: 'dashboard', id: dashboard.id }, connector: { name: 'Programme site' } });
    expect(sent!.chart).not.toBeNull();

    // Nothing is on the site until the owner approves it.
    const before = await wordpress<Array<{ id: number }>>('/wp/v2/posts');
    await page.goto(`${scout.baseUrl}/publications`);
    const waiting = page.getByRole('list', { name: 'Waiting for approval' }).getByRole('article', { name: 'Weekly programme summary' });
    await waiting.getByRole('button', { name: 'Approve and publish' }).click();
    const link = waiting.getByRole('link', { name: 'View the post' });
    await expect.poll(() => link.isVisible(), { timeout: 30_000 }).toBe(true);
    await snap(page, 'publishing-dashboard-published-1280');

    const [published] = (await api<Publication[]>(page, 'GET', `${base}/publications?state=published`)).filter((p) => p.id === sent!.id);
    expect(published!.external_url).toBe(await link.getAttribute('href'));
    const after = await wordpress<Array<{ id: number }>>('/wp/v2/posts');
    expect(after.map((p) => p.id).filter((id) => !before.some((b) => b.id === id))).toEqual([Number(published!.external_id)]);
    const post = await wordpress<{ title: { raw: string }; content: { raw: string }; status: string; featured_media: number }>(`/wp/v2/posts/${published!.external_id}`);
    expect(post.title.raw).toBe('Weekly programme summary');
    expect(post.status).toBe('publish');
    expect(post.content.raw).toContain('What the programme saw this week.');
    expect(post.featured_media).toBeGreaterThan(0);
    const media = await wordpress<{ mime_type: string }>(`/wp/v2/media/${post.featured_media}`);
    expect(media.mime_type).toBe('image/png');
  });
});
