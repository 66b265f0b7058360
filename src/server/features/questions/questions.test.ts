import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard, DashboardData, Question, QuestionRun, Schedule, ScheduledRun, ShareLink, SharedDashboard } from '../../../shared/questions';
import type { ToolCallEntry, ToolEnvelope } from '../../../shared/tools';
import { connectedMember, queryAs, type Member } from '../../../../test/support/members';
import { startScoutWithSimulator, type SimulatedScout } from '../../../../test/support/scout';

let scout: SimulatedScout;
let owner: Member;
let analyst: Member;
let colleague: Member;
let outsider: Member;

interface Answer<T> {
  status: number;
  body: T & { error?: string; code?: string; fields?: Record<string, string[]> };
  headers: Headers;
}

async function call<T>(m: Member, method: string, path: string, body?: unknown): Promise<Answer<T>> {
  const response = await m.client.request(method, `/api/tenants/${m.membershipId}${path}`, body);
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Answer<T>['body'], headers: response.headers };
}

const PERIOD_SQL = `SELECT case_type, count(*)::int AS cases FROM cases WHERE date_opened::date BETWEEN {{period.from}} AND {{period.to}} GROUP BY case_type ORDER BY case_type`;
const WIDE_PERIOD = { from: '2000-01-01', to: '2100-12-31' };

const newQuestion = (m: Member, body: Record<string, unknown>) => call<Question>(m, 'POST', '/questions', body);

beforeAll(async () => {
  scout = await startScoutWithSimulator({ seed: 17, domains: ['demo-clinic', 'other-project'], cases: 60, formsPerCase: 1 }, { worker: true });
  owner = await connectedMember(scout.baseUrl, 'demo-clinic', { name: 'Olive Owner' });
  analyst = await connectedMember(scout.baseUrl, 'demo-clinic', { sync: false, name: 'Andy Analyst' });
  colleague = await connectedMember(scout.baseUrl, 'demo-clinic', { sync: false, name: 'Cleo Colleague' });
  outsider = await connectedMember(scout.baseUrl, 'other-project', { name: 'Otto Outsider' });
});
afterAll(async () => {
  await scout?.stop();
});

describe('saved questions', () => {
  it('saves a question with a date-range parameter, lists, searches and runs it with its chart', async () => {
    const created = await newQuestion(owner, {
      title: 'Cases by type',
      description: 'Registrations in a period',
      sql: PERIOD_SQL,
      parameters: [{ name: 'period', type: 'date_range', label: 'Period', default: WIDE_PERIOD }],
      chart: { kind: 'bar', x: 'case_type', y: 'cases' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: 'Cases by type', author: { name: 'Olive Owner' }, can: { edit: true }, schedule: null });

    const listed = await call<Question[]>(analyst, 'GET', '/questions?search=by%20type');
    expect(listed.body.map((q) => q.id)).toContain(created.body.id);
    expect(listed.body.find((q) => q.id === created.body.id)!.can.edit).toBe(false);
    expect((await call<Question[]>(analyst, 'GET', '/questions?search=nothing-like-this')).body).toEqual([]);

    const run = await call<QuestionRun>(analyst, 'POST', `/questions/${created.body.id}/run`, {});
    expect(run.status).toBe(200);
    expect(run.body.columns.map((c) => c.name)).toEqual(['case_type', 'cases']);
    const total = run.body.rows.reduce((sum, row) => sum + Number(row[1]), 0);
    expect(total).toBe(60);
    expect(run.body.parameters).toEqual({ period: WIDE_PERIOD });
    expect(run.body.chart).toMatchObject({ kind: 'bar', x: 'case_type', y: 'cases' });
    expect(run.body.spec).toMatchObject({ mark: expect.anything() });

    // An empty period is bound as data: no rows, not an error.
    const none = await call<QuestionRun>(owner, 'POST', `/questions/${created.body.id}/run`, { parameters: { period: { from: '1990-01-01', to: '1990-01-02' } } });
    expect(none.body.rows).toEqual([]);
  });

  it("binds a parameter's value as data: an injection attempt matches nothing and drops nothing", async () => {
    const created = await newQuestion(owner, {
      title: 'Cases of a type',
      sql: 'SELECT count(*)::int AS n FROM cases WHERE case_type = {{case_type}}',
      parameters: [{ name: 'case_type', type: 'text' }],
    });
    expect(created.status).toBe(201);
    const attack = await call<QuestionRun>(owner, 'POST', `/questions/${created.body.id}/run`, { parameters: { case_type: "'; drop table cases; --" } });
    expect(attack.status).toBe(200);
    expect(attack.body.rows).toEqual([[0]]);
    const still = await queryAs(owner, 'SELECT count(*)::int FROM cases');
    expect(still.envelope.success && still.envelope.data.rows).toEqual([[60]]);
    // A quote inside a string literal of the SQL is not a placeholder, and a missing value is a field error.
    const missing = await call<QuestionRun>(owner, 'POST', `/questions/${created.body.id}/run`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.fields).toEqual({ 'parameters.case_type': ['needs a value'] });
    const unknown = await call<QuestionRun>(owner, 'POST', `/questions/${created.body.id}/run`, { parameters: { case_type: 'x', extra: 1 } });
    expect(unknown.body.fields?.['parameters.extra']?.[0]).toMatch(/not a parameter/);
  });

  it('refuses bad questions with field messages, and saves nothing', async () => {
    const before = (await call<Question[]>(owner, 'GET', '/questions')).body.length;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ title: '', sql: 'SELECT 1' }, 'title'],
      [{ title: 'x', sql: 'DELETE FROM cases' }, 'sql'],
      [{ title: 'x', sql: 'SELECT {{nope}}' }, 'sql'],
      [{ title: 'x', sql: 'SELECT {{a}}', parameters: [{ name: 'a', type: 'date', default: 'yesterday' }] }, 'parameters.0.default'],
      [{ title: 'x', sql: 'SELECT {{a}}', parameters: [{ name: 'a', type: 'date_range' }] }, 'sql'],
      [{ title: 'x', sql: 'SELECT 1', parameters: [{ name: '1bad', type: 'text' }] }, 'parameters.0.name'],
      [{ title: 'x', sql: 'SELECT 1', chart: { kind: 'radar' } }, 'chart.kind'],
      [{ title: 'x', sql: 'SELECT $1' }, 'sql'],
    ];
    for (const [body, field] of cases) {
      const answer = await newQuestion(owner, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(answer.body.fields ?? {}), JSON.stringify(body)).toContain(field);
    }
    const nul = await owner.client.request('POST', `/api/tenants/${owner.membershipId}/questions`, `{"title":"a\\u0000b","sql":"SELECT 1"}`);
    expect(nul.status).toBe(400);
    // '{{' inside a string literal or a comment is text, not a placeholder.
    const literal = await newQuestion(owner, { title: 'Braces', sql: "SELECT '{{not_a_parameter}}' AS text -- {{nor_this}}" });
    expect(literal.status).toBe(201);
    const run = await call<QuestionRun>(owner, 'POST', `/questions/${literal.body.id}/run`, {});
    expect(run.body.rows).toEqual([['{{not_a_parameter}}']]);
    expect((await call<Question[]>(owner, 'GET', '/questions')).body.length).toBe(before + 1);
  });

  it('lets authors, owners and admins edit; analysts only their own; another domain sees nothing', async () => {
    const mine = await newQuestion(owner, { title: "Owner's", sql: 'SELECT 1 AS one' });
    const theirs = await newQuestion(analyst, { title: "Analyst's", sql: 'SELECT 2 AS two' });
    expect(theirs.status).toBe(201);

    expect((await call(analyst, 'PATCH', `/questions/${mine.body.id}`, { title: 'Taken over' })).status).toBe(403);
    expect((await call(analyst, 'DELETE', `/questions/${mine.body.id}`)).status).toBe(403);
    expect((await call<Question>(analyst, 'PATCH', `/questions/${theirs.body.id}`, { title: 'Renamed by author' })).body.title).toBe('Renamed by author');
    expect((await call<Question>(owner, 'PATCH', `/questions/${theirs.body.id}`, { description: 'Reviewed by the owner' })).status).toBe(200);
    expect((await call(owner, 'PATCH', `/questions/${theirs.body.id}`, { sql: 'UPDATE cases SET closed = true' })).status).toBe(400);

    const promoted = await owner.client.request('PATCH', `/api/tenants/${owner.membershipId}/members/${colleague.membershipId}`, { role: 'admin' });
    expect(promoted.status).toBe(200);
    expect((await call<Question>(colleague, 'PATCH', `/questions/${mine.body.id}`, { title: 'Edited by an admin' })).body.title).toBe('Edited by an admin');
    await owner.client.request('PATCH', `/api/tenants/${owner.membershipId}/members/${colleague.membershipId}`, { role: 'analyst' });

    for (const [method, path] of [
      ['GET', `/questions/${mine.body.id}`],
      ['PATCH', `/questions/${mine.body.id}`],
      ['DELETE', `/questions/${mine.body.id}`],
      ['POST', `/questions/${mine.body.id}/run`],
    ] as const) {
      expect((await call(outsider, method, path, method === 'PATCH' ? { title: 'x' } : undefined)).status, `${method} ${path}`).toBe(404);
    }
    expect((await call<Question[]>(outsider, 'GET', '/questions')).body).toEqual([]);
    // Another domain's member can't reach this domain's question through the tool either.
    const viaTool = await call<ToolEnvelope>(outsider, 'POST', '/tools/run_question', { id: mine.body.id });
    expect(viaTool.body).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });

    expect((await call(analyst, 'DELETE', `/questions/${theirs.body.id}`)).status).toBe(204);
    expect((await call(analyst, 'GET', `/questions/${theirs.body.id}`)).status).toBe(404);
  });

  it('audits every run like a tool call, and offers the tools to the agent and MCP', async () => {
    const question = await newQuestion(owner, { title: 'Audited', sql: 'SELECT count(*)::int AS n FROM cases' });
    await call(analyst, 'POST', `/questions/${question.body.id}/run`, {});
    const log = await call<ToolCallEntry[]>(owner, 'GET', '/tool-calls');
    expect(log.body.find((entry) => entry.tool === 'run_question' && (entry.arguments as { id?: string }).id === question.body.id)).toMatchObject({
      user: 'Andy Analyst',
      channel: 'api',
      status: 'success',
      rows: 1,
    });

    const tools = await call<Array<{ name: string }>>(owner, 'GET', '/tools');
    expect(tools.body.map((t) => t.name)).toEqual(expect.arrayContaining(['list_questions', 'run_question', 'save_question']));
    const listed = await call<ToolEnvelope<Array<{ id: string; title: string }>>>(owner, 'POST', '/tools/list_questions', { search: 'Audited' });
    expect(listed.body.success && listed.body.data.map((q) => q.title)).toEqual(['Audited']);
    const ran = await call<ToolEnvelope<QuestionRun>>(owner, 'POST', '/tools/run_question', { id: question.body.id });
    expect(ran.body.success && ran.body.data.rows).toEqual([[60]]);
    // Outside the chat, save_question saves; a bad one is refused with the reason.
    const saved = await call<ToolEnvelope<{ status: string; question: { id: string } }>>(owner, 'POST', '/tools/save_question', { title: 'Saved by a tool', sql: 'SELECT 3 AS three' });
    expect(saved.body.success && saved.body.data.status).toBe('saved');
    const refused = await call<ToolEnvelope>(owner, 'POST', '/tools/save_question', { title: 'Bad', sql: 'DROP TABLE cases' });
    expect(refused.body).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR' } });
  });
});

describe('dashboards', () => {
  let byType: Question;
  let total: Question;
  let broken: Question;
  let dashboard: Dashboard;

  beforeAll(async () => {
    byType = (await newQuestion(owner, { title: 'By type', sql: PERIOD_SQL, parameters: [{ name: 'period', type: 'date_range', default: WIDE_PERIOD }], chart: { kind: 'bar' } })).body;
    total = (await newQuestion(owner, { title: 'Total', sql: 'SELECT count(*)::int AS cases FROM cases WHERE date_opened::date BETWEEN {{p.from}} AND {{p.to}}', parameters: [{ name: 'p', type: 'date_range', default: WIDE_PERIOD }] })).body;
    broken = (await newQuestion(owner, { title: 'Broken', sql: 'SELECT 1 / (count(*) - count(*)) AS boom FROM cases' })).body;
  });

  it('builds a dashboard with two tiles and a date filter, and runs every tile with the filter', async () => {
    const created = await call<Dashboard>(owner, 'POST', '/dashboards', {
      title: 'Programme overview',
      filters: [{ name: 'period', type: 'date_range', label: 'Period', default: WIDE_PERIOD }],
      tiles: [
        { id: 'by-type', kind: 'question', question_id: byType.id, display: 'chart', layout: { x: 0, y: 0, w: 8, h: 6 }, filters: { period: 'period' } },
        { id: 'total', kind: 'number', question_id: total.id, layout: { x: 8, y: 0, w: 4, h: 3 }, filters: { period: 'p' } },
        { id: 'note', kind: 'text', text: '**Weekly** review', layout: { x: 8, y: 3, w: 4, h: 3 } },
      ],
    });
    expect(created.status).toBe(201);
    dashboard = created.body;
    expect(dashboard.can).toEqual({ edit: true, schedule: true, share: true });

    const live = await call<DashboardData>(colleague, 'GET', `/dashboards/${dashboard.id}/data`);
    expect(live.status).toBe(200);
    expect(live.body.source).toBe('live');
    expect(live.body.tiles.map((t) => [t.tile_id, t.status])).toEqual([['by-type', 'ok'], ['total', 'ok'], ['note', 'ok']]);
    expect(live.body.tiles[1]!.run!.rows).toEqual([[60]]);

    const empty = await call<DashboardData>(colleague, 'GET', `/dashboards/${dashboard.id}/data?filter.period.from=1990-01-01&filter.period.to=1990-01-31`);
    expect(empty.body.filters).toEqual({ period: { from: '1990-01-01', to: '1990-01-31' } });
    expect(empty.body.tiles[1]!.run!.rows).toEqual([[0]]);
    expect(empty.body.tiles[0]!.run!.rows).toEqual([]);

    const tile = await call<{ tile_id: string; status: string; run: QuestionRun }>(colleague, 'GET', `/dashboards/${dashboard.id}/tiles/total/data?filter.period.from=1990-01-01&filter.period.to=1990-01-31`);
    expect(tile.body).toMatchObject({ tile_id: 'total', status: 'ok', run: { rows: [[0]] } });

    const badFilter = await call(colleague, 'GET', `/dashboards/${dashboard.id}/data?filter.period.from=soon&filter.period.to=1990-01-31&filter.nope=1`);
    expect(badFilter.status).toBe(400);
    expect(Object.keys(badFilter.body.fields ?? {}).sort()).toEqual(['filter.nope', 'filter.period']);
  });

  it('shows a failing tile as an error without blanking the others', async () => {
    const patched = await call<Dashboard>(owner, 'PATCH', `/dashboards/${dashboard.id}`, {
      tiles: [...dashboard.tiles, { id: 'broken', kind: 'question', question_id: broken.id, display: 'table', layout: { x: 0, y: 6, w: 12, h: 4 } }],
    });
    expect(patched.status).toBe(200);
    const live = await call<DashboardData>(owner, 'GET', `/dashboards/${patched.body.id}/data`);
    expect(live.body.tiles.map((t) => t.status)).toEqual(['ok', 'ok', 'ok', 'error']);
    expect(live.body.tiles[3]!.error!.message).toMatch(/division by zero/);
  });

  it('refuses tiles of another domain, unknown filters and mismatched parameters; only editors change it', async () => {
    const foreign = (await newQuestion(outsider, { title: 'Elsewhere', sql: 'SELECT 1 AS one' })).body;
    const bad = await call(owner, 'POST', '/dashboards', {
      title: 'Bad',
      filters: [{ name: 'when', type: 'date' }],
      tiles: [
        { id: 'a', kind: 'question', question_id: foreign.id, layout: { x: 0, y: 0, w: 4, h: 4 } },
        { id: 'b', kind: 'question', question_id: byType.id, layout: { x: 4, y: 0, w: 4, h: 4 }, filters: { when: 'period' } },
        { id: 'c', kind: 'question', question_id: byType.id, layout: { x: 8, y: 0, w: 4, h: 4 }, filters: { when: 'nope' } },
      ],
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.fields ?? {}).sort()).toEqual(['tiles.0.question_id', 'tiles.1.filters.when', 'tiles.2.filters.when']);
    const overflow = await call(owner, 'POST', '/dashboards', { title: 'Wide', tiles: [{ id: 'a', kind: 'text', text: 'x', layout: { x: 6, y: 0, w: 8, h: 2 } }] });
    expect(overflow.status).toBe(400);

    expect((await call(analyst, 'PATCH', `/dashboards/${dashboard.id}`, { title: 'Mine now' })).status).toBe(403);
    expect((await call(outsider, 'GET', `/dashboards/${dashboard.id}`)).status).toBe(404);
    expect((await call(outsider, 'GET', `/dashboards/${dashboard.id}/data`)).status).toBe(404);
    expect((await call<Dashboard[]>(analyst, 'GET', '/dashboards')).body.map((d) => d.id)).toContain(dashboard.id);
  });
});

describe('schedules and stored results', () => {
  let question: Question;
  let dashboard: Dashboard;

  beforeAll(async () => {
    question = (await newQuestion(owner, { title: 'Scheduled', sql: 'SELECT count(*)::int AS n FROM cases' })).body;
    dashboard = (
      await call<Dashboard>(owner, 'POST', '/dashboards', {
        title: 'Scheduled dashboard',
        tiles: [{ id: 'n', kind: 'number', question_id: question.id, layout: { x: 0, y: 0, w: 3, h: 2 } }],
      })
    ).body;
  });

  const waitForRun = async (path: string, count: number): Promise<ScheduledRun[]> => {
    for (let i = 0; ; i++) {
      const runs = (await call<ScheduledRun[]>(owner, 'GET', `${path}/runs`)).body;
      if (runs.length >= count || i > 200) return runs;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  it('schedules daily at a time in the time zone, refusing what is not a schedule', async () => {
    const set = await call<Schedule>(owner, 'PUT', `/dashboards/${dashboard.id}/schedule`, { every: 'day', at: '07:00', timezone: 'Africa/Nairobi' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ state: 'active', summary: 'Every day at 07:00 (Africa/Nairobi)', last_run_at: null });
    // 07:00 in Nairobi is 04:00 UTC.
    expect(set.body.next_run_at).toMatch(/T04:00:00\.000Z$/);
    expect((await call<Dashboard>(colleague, 'GET', `/dashboards/${dashboard.id}`)).body.schedule?.summary).toBe('Every day at 07:00 (Africa/Nairobi)');

    const weekly = await call<Schedule>(owner, 'PUT', `/questions/${question.id}/schedule`, { every: 'week', day: 'mon', at: '06:30', timezone: 'UTC' });
    expect(weekly.body.summary).toBe('Every Monday at 06:30 (UTC)');
    expect(new Date(weekly.body.next_run_at!).getUTCDay()).toBe(1);

    const refusals: Array<[Record<string, unknown>, string]> = [
      [{ every: 'day', at: '25:00', timezone: 'UTC' }, 'at'],
      [{ every: 'day', at: '07:00', timezone: 'Mars/Olympus' }, 'timezone'],
      [{ cron: '* * * * *', timezone: 'UTC' }, 'cron'],
      [{ cron: 'every tuesday', timezone: 'UTC' }, 'cron'],
      [{ every: 'week', timezone: 'UTC' }, 'day'],
      [{ timezone: 'UTC' }, 'every'],
    ];
    for (const [body, field] of refusals) {
      const answer = await call(owner, 'PUT', `/questions/${question.id}/schedule`, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(answer.body.fields ?? {}), JSON.stringify(body)).toContain(field);
    }
    const cron = await call<Schedule>(owner, 'PUT', `/questions/${question.id}/schedule`, { cron: '0 */6 * * *', timezone: 'UTC' });
    expect(cron.body.summary).toBe('On the cron schedule 0 */6 * * * (UTC)');
    expect((await call(analyst, 'PUT', `/dashboards/${dashboard.id}/schedule`, { every: 'hour', timezone: 'UTC' })).status).toBe(403);
    expect((await call(outsider, 'PUT', `/dashboards/${dashboard.id}/schedule`, { every: 'hour', timezone: 'UTC' })).status).toBe(404);
  });

  it('runs when due, stores the result, and opens the dashboard from it with its age', async () => {
    expect((await call(colleague, 'GET', `/dashboards/${dashboard.id}/data?source=stored`)).status).toBe(404);
    const claimed = await scout.services.schedules.tick(new Date(Date.now() + 2 * 24 * 3600 * 1000));
    expect(claimed.length).toBeGreaterThanOrEqual(2);
    const runs = await waitForRun(`/dashboards/${dashboard.id}/schedule`, 1);
    expect(runs[0]).toMatchObject({ status: 'completed', error: null });
    const schedule = (await call<Schedule>(owner, 'GET', `/dashboards/${dashboard.id}/schedule`)).body;
    expect(schedule).toMatchObject({ state: 'active', last_status: 'completed' });
    expect(new Date(schedule.next_run_at!).getTime()).toBeGreaterThan(Date.now() + 2 * 24 * 3600 * 1000);

    const stored = await call<DashboardData>(colleague, 'GET', `/dashboards/${dashboard.id}/data?source=stored`);
    expect(stored.status).toBe(200);
    expect(stored.body.source).toBe('stored');
    expect(stored.body.tiles[0]!.run!.rows).toEqual([[60]]);
    expect(new Date(stored.body.ran_at).getTime()).toBeLessThanOrEqual(Date.now());
    // The same tick claims nothing twice.
    expect(await scout.services.schedules.tick(new Date(Date.now() + 2 * 24 * 3600 * 1000))).not.toContain(schedule.id);
  });

  it('marks a failing run on its schedule with the error', async () => {
    const failing = (await newQuestion(owner, { title: 'Fails', sql: 'SELECT 1 / (count(*) - count(*)) AS boom FROM cases' })).body;
    await call(owner, 'PUT', `/questions/${failing.id}/schedule`, { every: 'hour', timezone: 'UTC' });
    const run = await call<ScheduledRun>(owner, 'POST', `/questions/${failing.id}/schedule/run`);
    expect(run.status).toBe(201);
    expect(run.body).toMatchObject({ status: 'failed', error: expect.stringMatching(/division by zero/) });
    const schedule = (await call<Question>(owner, 'GET', `/questions/${failing.id}`)).body.schedule!;
    expect(schedule).toMatchObject({ state: 'failing', last_status: 'failed', reason: expect.stringMatching(/division by zero/) });
    // Fixing the question lets the next run succeed and the schedule recover.
    await call(owner, 'PATCH', `/questions/${failing.id}`, { sql: 'SELECT 1 AS fine' });
    await call(owner, 'POST', `/questions/${failing.id}/schedule/run`);
    expect((await call<Question>(owner, 'GET', `/questions/${failing.id}`)).body.schedule).toMatchObject({ state: 'active', reason: null });
  });

  it('schedules the domain sync for owners and admins, and starts a sync when due', async () => {
    expect((await call(analyst, 'PUT', '/warehouse/schedule', { every: 'day', at: '02:00', timezone: 'UTC' })).status).toBe(403);
    const set = await call<Schedule>(owner, 'PUT', '/warehouse/schedule', { every: 'day', at: '02:00', timezone: 'UTC' });
    expect(set.body).toMatchObject({ target: 'warehouse', summary: 'Every day at 02:00 (UTC)' });
    expect((await call<Schedule>(analyst, 'GET', '/warehouse/schedule')).body.id).toBe(set.body.id);
    const run = await call<ScheduledRun>(owner, 'POST', '/warehouse/schedule/run');
    expect(run.body.status).toBe('completed');
    const runs = (await call<Array<{ id: string; state: string }>>(owner, 'GET', '/materializations')).body;
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect((await call(owner, 'DELETE', '/warehouse/schedule')).status).toBe(204);
    expect((await call(owner, 'GET', '/warehouse/schedule')).body).toBeNull();
  });
});

describe('share links', () => {
  let dashboard: Dashboard;

  beforeAll(async () => {
    const question = (await newQuestion(owner, { title: 'Shared number', sql: 'SELECT count(*)::int AS n FROM cases' })).body;
    dashboard = (await call<Dashboard>(owner, 'POST', '/dashboards', { title: 'Public summary', tiles: [{ id: 'n', kind: 'number', question_id: question.id, layout: { x: 0, y: 0, w: 3, h: 2 } }] })).body;
  });

  const openShared = async (url: string) => {
    const response = await fetch(`${scout.baseUrl}/api/shared/${new URL(url).pathname.split('/').pop()}`);
    return { status: response.status, body: (await response.json()) as SharedDashboard, headers: response.headers };
  };

  it('is off by default, owners and admins only, and shows only the stored result signed out', async () => {
    expect(dashboard.share).toBeNull();
    expect((await call(analyst, 'POST', `/dashboards/${dashboard.id}/share`, {})).status).toBe(403);
    const made = await call<ShareLink>(owner, 'POST', `/dashboards/${dashboard.id}/share`, { days: 7 });
    expect(made.status).toBe(201);
    expect(new URL(made.body.url!).pathname).toMatch(/^\/shared\/[A-Za-z0-9_-]{43}$/);
    expect((await call<Dashboard>(owner, 'GET', `/dashboards/${dashboard.id}`)).body.share).toMatchObject({ id: made.body.id, expires_at: made.body.expires_at });
    expect((await call<Dashboard>(owner, 'GET', `/dashboards/${dashboard.id}`)).body.share).not.toHaveProperty('url');

    // Before any scheduled run there is nothing to show, and nothing runs live for a visitor.
    const before = await openShared(made.body.url!);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ title: 'Public summary', data: null });
    expect(before.headers.get('x-robots-tag')).toBe('noindex, nofollow');

    await call(owner, 'PUT', `/dashboards/${dashboard.id}/schedule`, { every: 'day', at: '07:00', timezone: 'UTC' });
    await call(owner, 'POST', `/dashboards/${dashboard.id}/schedule/run`);
    const after = await openShared(made.body.url!);
    expect(after.body.data!.tiles[0]!.run!.rows).toEqual([[60]]);
    expect(after.body.data!.tiles[0]!.run!.sql_executed).toBe('');
    // A visitor can't look the question up: its tile carries the question's title.
    expect(after.body.tiles[0]!.title).toBe('Shared number');
    expect(JSON.stringify(after.body)).not.toContain('FROM cases');

    const page = await fetch(`${scout.baseUrl}${new URL(made.body.url!).pathname}`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('x-robots-tag')).toBe('noindex, nofollow');
  });

  it('answers 404 once revoked, once expired, and for a made-up token', async () => {
    const made = (await call<ShareLink>(owner, 'POST', `/dashboards/${dashboard.id}/share`, {})).body;
    expect((await openShared(made.url!)).status).toBe(200);
    expect((await call(owner, 'DELETE', `/dashboards/${dashboard.id}/share`)).status).toBe(204);
    expect((await openShared(made.url!)).status).toBe(404);

    const again = (await call<ShareLink>(owner, 'POST', `/dashboards/${dashboard.id}/share`, { days: 1 })).body;
    await sql`UPDATE dashboard_share SET expires_at = now() - interval '1 minute' WHERE id = ${again.id}`.execute(scout.database.db);
    expect((await openShared(again.url!)).status).toBe(404);
    expect((await call<Dashboard>(owner, 'GET', `/dashboards/${dashboard.id}`)).body.share).toBeNull();
    expect((await openShared('http://x/shared/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
    expect((await call(owner, 'POST', `/dashboards/${dashboard.id}/share`, { days: 9999 })).status).toBe(400);
  });
});

describe('a cleared warehouse', () => {
  it('pauses the schedules that read it with the reason, and resumes them after the next sync', async () => {
    const question = (await newQuestion(owner, { title: 'Paused later', sql: 'SELECT count(*)::int AS n FROM cases' })).body;
    await call(owner, 'PUT', `/questions/${question.id}/schedule`, { every: 'day', at: '05:00', timezone: 'UTC', after_sync: true });
    // The scheduled sync of the test before may still run: clearing waits for it.
    let cleared = await call(owner, 'DELETE', '/warehouse');
    for (let i = 0; cleared.status === 409 && i < 300; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      cleared = await call(owner, 'DELETE', '/warehouse');
    }
    expect(cleared.status).toBe(204);
    const paused = (await call<Question>(owner, 'GET', `/questions/${question.id}`)).body.schedule!;
    expect(paused).toMatchObject({ state: 'paused', next_run_at: null, reason: expect.stringMatching(/data was cleared/) });
    expect((await call(owner, 'POST', `/questions/${question.id}/schedule/run`)).status).toBe(409);

    const started = (await call<{ run: { id: string } }>(owner, 'POST', '/materializations', {})).body.run;
    for (let i = 0; i < 600; i++) {
      const run = (await call<{ state: string }>(owner, 'GET', `/materializations/${started.id}`)).body;
      if (run.state === 'completed') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // The sync resumes it and, as it follows syncs, runs it.
    for (let i = 0; i < 200; i++) {
      const schedule = (await call<Question>(owner, 'GET', `/questions/${question.id}`)).body.schedule!;
      if (schedule.last_status) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const resumed = (await call<Question>(owner, 'GET', `/questions/${question.id}`)).body.schedule!;
    expect(resumed).toMatchObject({ state: 'active', reason: null, last_status: 'completed', summary: 'Every day at 05:00 (UTC), and after each sync' });
  });
});
