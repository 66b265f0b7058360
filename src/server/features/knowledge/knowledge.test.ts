import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeEntry, KnowledgeLayer, KnowledgeMatches, KnowledgeSuggestion, KnowledgeVersion, Learning, VerifiedQuery } from '../../../shared/knowledge';
import { connectedMember, queryAs, type Member } from '../../../../test/support/members';
import { startScoutWithSimulator, type SimulatedScout } from '../../../../test/support/scout';
import { DEFAULT_QUERY_CAPACITY } from '../tools/definitions';
import { knowledgeContext } from './context';
import { searchKnowledgeTool } from './tools';

let scout: SimulatedScout;
let owner: Member;
let analyst: Member;
let outsider: Member;

interface Answer<T> {
  status: number;
  body: T & { error?: string; code?: string; fields?: Record<string, string[]> };
}

async function call<T>(m: Member, method: string, path: string, body?: unknown): Promise<Answer<T>> {
  const response = await m.client.request(method, `/api/tenants/${m.membershipId}${path}`, body);
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Answer<T>['body'] };
}

async function tenantOf(m: Member): Promise<{ tenant_id: string; user_id: string }> {
  return scout.database.db.selectFrom('tenant_membership').select(['tenant_id', 'user_id']).where('id', '=', m.membershipId).executeTakeFirstOrThrow();
}

beforeAll(async () => {
  scout = await startScoutWithSimulator({ seed: 23, domains: ['demo-clinic', 'other-project'], cases: 60, formsPerCase: 1 }, { worker: true });
  owner = await connectedMember(scout.baseUrl, 'demo-clinic', { name: 'Olive Owner' });
  analyst = await connectedMember(scout.baseUrl, 'demo-clinic', { sync: false, name: 'Andy Analyst' });
  outsider = await connectedMember(scout.baseUrl, 'other-project', { name: 'Otto Outsider' });
});
afterAll(async () => {
  await scout?.stop();
});

const byKey = (entries: KnowledgeEntry[], key: string) => {
  const found = entries.find((e) => e.key === key);
  if (!found) throw new Error(`no entry ${key} among ${entries.map((e) => e.key).join(', ')}`);
  return found;
};

describe('the proposed semantic layer', () => {
  it("proposes entities, measures and dimensions from the simulator's app and data after a sync", async () => {
    const layer = await call<KnowledgeLayer>(owner, 'GET', '/knowledge');
    expect(layer.status).toBe(200);
    expect(layer.body.proposed_for_sync_at).not.toBeNull();
    expect(layer.body.can).toEqual({ edit: true, suggest: true });

    // Entities: the four case types, the forms, the directory.
    for (const type of ['household', 'person', 'pregnancy', 'visit']) {
      expect(byKey(layer.body.entities, `case_type:${type}`)).toMatchObject({ table: `case_${type}`, source: 'proposed', version: 1, updated_by: null });
    }
    const forms = layer.body.entities.filter((e) => e.details.type === 'form');
    expect(forms.map((f) => f.name)).toEqual(expect.arrayContaining(['Register Household', 'Update Household', 'ANC Visit', 'Visit Follow-up']));
    expect(layer.body.entities.map((e) => e.key)).toEqual(expect.arrayContaining(['users', 'locations']));

    // Measures: open cases per type, visits = the follow-up forms, active workers.
    const openHouseholds = byKey(layer.body.measures, 'open_cases:household');
    expect(openHouseholds).toMatchObject({ name: 'open household cases', sql: 'SELECT count(*) FROM case_household WHERE closed = false', details: { expression: 'count(*)', filter: 'closed = false' } });
    const visits = byKey(layer.body.measures, 'visits');
    const xmlnsOf = (name: string) => forms.find((f) => f.name === name)!.details.xmlns as string;
    for (const followUp of ['Update Household', 'ANC Visit', 'Visit Follow-up']) expect(visits.sql).toContain(xmlnsOf(followUp));
    for (const register of ['Register Household', 'Register Pregnancy', 'Home Visit']) expect(visits.sql).not.toContain(xmlnsOf(register));
    expect(byKey(layer.body.measures, 'active_workers')).toMatchObject({ sql: 'SELECT count(DISTINCT user_id) FROM forms' });

    // Dimensions: a choice property with its label and values, a date, location levels.
    const water = byKey(layer.body.dimensions, 'case_household.water_source');
    expect(water.name).toBe('Main source of drinking water');
    expect(water.details).toMatchObject({
      type: 'choice',
      choices: [
        { value: 'piped', label: 'piped' },
        { value: 'borehole', label: 'borehole' },
        { value: 'protected_well', label: 'protected well' },
        { value: 'surface_water', label: 'surface water' },
      ],
    });
    expect(byKey(layer.body.dimensions, 'case_pregnancy.risk_level').details.choices).toHaveLength(3);
    expect(byKey(layer.body.dimensions, 'case_visit.visit_date')).toMatchObject({ name: 'Visit date', details: { type: 'date' } });
    expect(layer.body.dimensions.some((d) => d.details.type === 'location_level')).toBe(true);
    // A form question no case property saves: its own dimension on the form's view.
    expect(layer.body.dimensions.some((d) => d.table?.startsWith('form_') && d.name === 'Did the client reach the facility?')).toBe(true);

    // Relationships: person → household through the parent index.
    expect(byKey(layer.body.relationships, 'case_person.parent->case_household')).toMatchObject({ sql: 'case_person.parent_case_id = case_household.case_id' });

    // Every measure's SQL runs as the query tool runs it, and means what it says.
    for (const measure of layer.body.measures) {
      const run = await queryAs(owner, measure.sql!);
      expect(run.envelope.success, `${measure.key}: ${measure.sql} ${JSON.stringify(run.envelope)}`).toBe(true);
    }
    const open = await queryAs(owner, openHouseholds.sql!);
    const direct = await queryAs(owner, "SELECT count(*) FROM cases WHERE case_type = 'household' AND NOT closed");
    expect(open.envelope.success && open.envelope.data.rows).toEqual(direct.envelope.success && direct.envelope.data.rows);
  });

  it('proposes again only what changed, keeps what people edited, and lets only owners and admins ask', async () => {
    expect((await call(analyst, 'POST', '/knowledge/propose')).status).toBe(403);
    const layer = (await call<KnowledgeLayer>(owner, 'GET', '/knowledge')).body;
    const measure = byKey(layer.measures, 'open_cases:person');
    const edited = await call<KnowledgeEntry>(owner, 'PATCH', `/knowledge/entries/${measure.id}`, { description: 'People still followed up.' });
    expect(edited.body).toMatchObject({ source: 'person', version: 2, description: 'People still followed up.', updated_by: { name: 'Olive Owner' } });
    const again = await call<{ proposed: number; changed: number }>(owner, 'POST', '/knowledge/propose');
    expect(again.status).toBe(200);
    expect(again.body.changed).toBe(0);
    const after = (await call<KnowledgeLayer>(owner, 'GET', '/knowledge')).body;
    expect(byKey(after.measures, 'open_cases:person')).toMatchObject({ description: 'People still followed up.', version: 2 });
    expect(byKey(after.measures, 'open_cases:household').version).toBe(1);
  });
});

describe('editing knowledge', () => {
  it('owners edit the glossary; analysts suggest and an owner accepts; every version says who and when', async () => {
    const created = await call<KnowledgeEntry>(owner, 'POST', '/knowledge/glossary', { term: 'ANC', definition: 'Antenatal care visit', synonyms: ['antenatal'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'glossary', name: 'ANC', version: 1, source: 'person' });
    expect((await call(owner, 'POST', '/knowledge/glossary', { term: 'anc', definition: 'again' })).status).toBe(409);

    // An analyst can't edit, only suggest.
    expect((await call(analyst, 'POST', '/knowledge/glossary', { term: 'PNC', definition: 'Postnatal care' })).status).toBe(403);
    expect((await call(analyst, 'PATCH', `/knowledge/entries/${created.body.id}`, { description: 'x' })).status).toBe(403);
    const suggested = await call<KnowledgeSuggestion>(analyst, 'POST', '/knowledge/suggestions', {
      change: { action: 'update', entry_id: created.body.id, patch: { description: 'Antenatal care (ANC) visit: a pregnancy follow-up' } },
      note: 'More precise',
    });
    expect(suggested.status).toBe(201);
    expect(suggested.body).toMatchObject({ status: 'pending', suggested_by: { name: 'Andy Analyst' }, note: 'More precise' });
    expect((await call(analyst, 'POST', `/knowledge/suggestions/${suggested.body.id}/accept`)).status).toBe(403);
    expect((await call<KnowledgeLayer>(owner, 'GET', '/knowledge')).body.pending_suggestions).toBe(1);

    const accepted = await call<KnowledgeSuggestion>(owner, 'POST', `/knowledge/suggestions/${suggested.body.id}/accept`, { note: 'Thanks' });
    expect(accepted.body).toMatchObject({ status: 'accepted', reviewed_by: { name: 'Olive Owner' }, review_note: 'Thanks', entry_id: created.body.id });
    expect((await call(owner, 'POST', `/knowledge/suggestions/${suggested.body.id}/accept`)).status).toBe(409);

    const history = await call<KnowledgeVersion[]>(analyst, 'GET', `/knowledge/entries/${created.body.id}/history`);
    expect(history.body.map((v) => [v.version, v.change, v.changed_by?.name, v.approved_by?.name ?? null, v.entry.description])).toEqual([
      [2, 'updated', 'Andy Analyst', 'Olive Owner', 'Antenatal care (ANC) visit: a pregnancy follow-up'],
      [1, 'created', 'Olive Owner', null, 'Antenatal care visit'],
    ]);
    expect(history.body.every((v) => !Number.isNaN(Date.parse(v.changed_at)))).toBe(true);

    // A suggested new term, rejected, changes nothing.
    const newTerm = await call<KnowledgeSuggestion>(analyst, 'POST', '/knowledge/suggestions', { change: { action: 'create_glossary', glossary: { term: 'CHW', definition: 'Community health worker' } } });
    const rejected = await call<KnowledgeSuggestion>(owner, 'POST', `/knowledge/suggestions/${newTerm.body.id}/reject`, {});
    expect(rejected.body.status).toBe('rejected');
    expect((await call<KnowledgeEntry[]>(owner, 'GET', '/knowledge/glossary')).body.map((g) => g.name)).toEqual(['ANC']);
    expect((await call<KnowledgeSuggestion[]>(owner, 'GET', '/knowledge/suggestions?status=rejected')).body.map((s) => s.id)).toEqual([newTerm.body.id]);

    // Deleting keeps the history; the domain's history lists what people did.
    const measure = await call<KnowledgeEntry>(owner, 'POST', '/knowledge/measures', { name: 'high-risk pregnancies', table: 'case_pregnancy', expression: 'count(*)', filter: "risk_level = 'high'" });
    expect(measure.status).toBe(201);
    expect(measure.body.sql).toBe("SELECT count(*) FROM case_pregnancy WHERE risk_level = 'high'");
    expect((await call(owner, 'DELETE', `/knowledge/entries/${measure.body.id}`)).status).toBe(204);
    const measureHistory = await call<KnowledgeVersion[]>(owner, 'GET', `/knowledge/entries/${measure.body.id}/history`);
    expect(measureHistory.body.map((v) => v.change)).toEqual(['deleted', 'created']);
    const domainHistory = await call<KnowledgeVersion[]>(owner, 'GET', '/knowledge/history');
    expect(domainHistory.body.every((v) => v.changed_by !== null)).toBe(true);
    expect(domainHistory.body[0]).toMatchObject({ entry_id: measure.body.id, change: 'deleted' });
  });

  it('writes descriptions and value meanings that describe_table can include', async () => {
    const column = await call<KnowledgeEntry>(owner, 'PUT', '/knowledge/descriptions', { table: 'case_household', column: 'has_latrine', description: 'Whether the household has its own latrine' });
    expect(column.status).toBe(200);
    const value = await call<KnowledgeEntry>(owner, 'PUT', '/knowledge/descriptions', { table: 'case_household', column: 'water_source', value: 'surface_water', description: 'River, lake or pond' });
    expect(value.body).toMatchObject({ kind: 'value', version: 1 });
    const again = await call<KnowledgeEntry>(owner, 'PUT', '/knowledge/descriptions', { table: 'case_household', column: 'water_source', value: 'surface_water', description: 'River, lake, pond or canal' });
    expect(again.body).toMatchObject({ id: value.body.id, version: 2 });

    const { tenant_id } = await tenantOf(owner);
    const context = await knowledgeContext(scout.database.db, tenant_id, 'case_household');
    expect(context.columns.case_household).toEqual({ has_latrine: 'Whether the household has its own latrine' });
    expect(context.dimensions.find((d) => d.column === 'water_source')?.choices).toContainEqual({ value: 'surface_water', label: 'River, lake, pond or canal' });
    expect(context.measures.map((m) => m.name)).toEqual(expect.arrayContaining(['open household cases', 'household cases']));
    expect(context.measures.every((m) => m.table === 'case_household')).toBe(true);
    expect(context.glossary.map((g) => g.term)).toContain('ANC');
  });

  it('refuses bad input with field messages, and another domain sees nothing', async () => {
    const cases: Array<[string, string, unknown, string]> = [
      ['POST', '/knowledge/glossary', { term: '', definition: 'x' }, 'term'],
      ['POST', '/knowledge/glossary', { term: 'x', definition: 'y'.repeat(2_001) }, 'definition'],
      ['POST', '/knowledge/glossary', { term: 'x', definition: 'y', extra: 1 }, '_'],
      ['POST', '/knowledge/measures', { name: 'm', table: 'cases', expression: 'count(*); DROP TABLE cases' }, 'expression'],
      ['POST', '/knowledge/measures', { name: 'm', table: 'bad name', expression: 'count(*)' }, 'table'],
      ['PUT', '/knowledge/descriptions', { table: 'cases', value: 'x', description: 'y' }, 'column'],
      ['POST', '/knowledge/verified-queries', { question: 'q', sql: 'DELETE FROM cases' }, 'sql'],
      ['POST', '/knowledge/learnings', { question: 'q', original_sql: 'SELECT 1' }, 'corrected_sql'],
      ['POST', '/knowledge/suggestions', { change: { action: 'rename_everything' } }, 'change.action'],
    ];
    for (const [method, path, body, field] of cases) {
      const answer = await call(owner, method, path, body);
      expect(answer.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(Object.keys(answer.body.fields ?? {}).join(' '), `${path} ${JSON.stringify(body)}`).toContain(field);
    }
    const nul = await owner.client.request('POST', `/api/tenants/${owner.membershipId}/knowledge/glossary`, '{"term":"a\\u0000b","definition":"x"}');
    expect(nul.status).toBe(400);
    const glossary = (await call<KnowledgeEntry[]>(owner, 'GET', '/knowledge/glossary')).body;
    const anc = glossary.find((g) => g.name === 'ANC')!;
    const wrongField = await call(owner, 'PATCH', `/knowledge/entries/${anc.id}`, { expression: 'count(*)' });
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.fields?.expression?.[0]).toMatch(/glossary entry has no expression/);

    const suggestion = await call<KnowledgeSuggestion>(analyst, 'POST', '/knowledge/suggestions', { change: { action: 'delete', entry_id: anc.id } });
    const verified = await call<VerifiedQuery>(owner, 'POST', '/knowledge/verified-queries', { question: 'How many cases?', sql: 'SELECT count(*) FROM cases' });
    const learning = await call<Learning>(analyst, 'POST', '/knowledge/learnings', { question: 'Cases?', original_sql: 'SELECT 1', note: 'Count the cases table' });
    for (const [method, path, body] of [
      ['PATCH', `/knowledge/entries/${anc.id}`, { description: 'x' }],
      ['DELETE', `/knowledge/entries/${anc.id}`, undefined],
      ['GET', `/knowledge/entries/${anc.id}/history`, undefined],
      ['POST', `/knowledge/suggestions/${suggestion.body.id}/accept`, {}],
      ['DELETE', `/knowledge/verified-queries/${verified.body.id}`, undefined],
      ['POST', `/knowledge/learnings/${learning.body.id}/accept`, {}],
    ] as const) {
      expect((await call(outsider, method, path, body)).status, `${method} ${path}`).toBe(404);
    }
    // Suggesting a change to another domain's entry is a field error, not a way to find it.
    const foreign = await call(outsider, 'POST', '/knowledge/suggestions', { change: { action: 'delete', entry_id: anc.id } });
    expect(foreign.status).toBe(400);
    const theirs = (await call<KnowledgeLayer>(outsider, 'GET', '/knowledge')).body;
    expect(theirs.glossary).toEqual([]);
    expect((await call<VerifiedQuery[]>(outsider, 'GET', '/knowledge/verified-queries')).body).toEqual([]);
    expect((await call<Learning[]>(outsider, 'GET', '/knowledge/learnings')).body).toEqual([]);
    await call(owner, 'POST', `/knowledge/suggestions/${suggestion.body.id}/reject`, {});
    await call(owner, 'DELETE', `/knowledge/verified-queries/${verified.body.id}`);
  });
});

describe('verified queries, learnings and retrieval', () => {
  it('retrieves the verified query of a paraphrased question, and accepted learnings only', async () => {
    expect((await call(analyst, 'POST', '/knowledge/verified-queries', { question: 'x', sql: 'SELECT 1' })).status).toBe(403);
    const latrines = await call<VerifiedQuery>(owner, 'POST', '/knowledge/verified-queries', {
      question: 'How many households have a latrine?',
      sql: "SELECT count(*) FROM case_household WHERE has_latrine = 'yes'",
      answer_summary: 'Households with a latrine',
    });
    expect(latrines.status).toBe(201);
    expect(latrines.body.verified_by?.name).toBe('Olive Owner');
    await call(owner, 'POST', '/knowledge/verified-queries', { question: 'Which pregnancies are high risk?', sql: "SELECT case_id FROM case_pregnancy WHERE risk_level = 'high'" });
    await call(owner, 'POST', '/knowledge/verified-queries', { question: 'Visits per worker last month', sql: 'SELECT user_id, count(*) FROM forms GROUP BY user_id' });

    const found = await call<KnowledgeMatches>(analyst, 'POST', '/knowledge/search', { text: 'number of homes with latrines' });
    expect(found.status).toBe(200);
    expect(found.body.verified_queries[0]?.id).toBe(latrines.body.id);
    const other = await call<KnowledgeMatches>(analyst, 'POST', '/knowledge/search', { text: 'count the households that own a toilet or latrine' });
    expect(other.body.verified_queries[0]?.id).toBe(latrines.body.id);

    // The glossary names "ANC": its definition joins the search, and the term comes back.
    const anc = await call<KnowledgeMatches>(analyst, 'POST', '/knowledge/search', { text: 'ANC visits this month' });
    expect(anc.body.glossary[0]?.term).toBe('ANC');

    const learning = await call<Learning>(analyst, 'POST', '/knowledge/learnings', {
      question: 'How many children were referred?',
      original_sql: "SELECT count(*) FROM case_visit WHERE referred = 'true'",
      corrected_sql: "SELECT count(*) FROM case_visit WHERE referred = 'yes'",
      note: 'referred holds yes or no',
    });
    expect(learning.body).toMatchObject({ status: 'pending', submitted_by: { name: 'Andy Analyst' } });
    const before = await call<KnowledgeMatches>(analyst, 'POST', '/knowledge/search', { text: 'children referred to a facility' });
    expect(before.body.learnings).toEqual([]);
    expect((await call(analyst, 'POST', `/knowledge/learnings/${learning.body.id}/accept`, {})).status).toBe(403);
    expect((await call<Learning>(owner, 'POST', `/knowledge/learnings/${learning.body.id}/accept`, {})).body).toMatchObject({ status: 'accepted', reviewed_by: { name: 'Olive Owner' } });
    const after = await call<KnowledgeMatches>(analyst, 'POST', '/knowledge/search', { text: 'children referred to a facility' });
    expect(after.body.learnings.map((l) => l.corrected_sql)).toEqual(["SELECT count(*) FROM case_visit WHERE referred = 'yes'"]);

    const rejectedLearning = await call<Learning>(analyst, 'POST', '/knowledge/learnings', { question: 'Referred children by village', original_sql: 'SELECT 1', correct_answer: 'none' });
    await call(owner, 'POST', `/knowledge/learnings/${rejectedLearning.body.id}/reject`, { note: 'Not a correction' });
    const still = await call<KnowledgeMatches>(analyst, 'POST', '/knowledge/search', { text: 'referred children by village' });
    expect(still.body.learnings.map((l) => l.id)).toEqual([learning.body.id]);
  });

  it('search_knowledge answers with glossary terms, measures and verified queries', async () => {
    const { user_id } = await tenantOf(analyst);
    const ctx = await scout.services.tools.context(user_id, analyst.membershipId, 'api');
    expect(searchKnowledgeTool.input.safeParse({}).success).toBe(false);
    expect(searchKnowledgeTool.input.safeParse({ text: 'x', tenant: 'other' }).success).toBe(false);
    const deps = { db: scout.database.db, warehouse: scout.services.warehouse, warehousePool: scout.database.pool, capacity: DEFAULT_QUERY_CAPACITY };
    const outcome = await searchKnowledgeTool.run(ctx, { text: 'how many open household cases and households with a latrine' }, deps);
    expect(outcome.data.measures.map((m) => m.name)).toContain('open household cases');
    expect(outcome.data.verified_queries[0]?.question).toBe('How many households have a latrine?');
    expect(outcome.rows).toBeGreaterThan(1);
    const anc = await searchKnowledgeTool.run(ctx, { text: 'ANC' }, deps);
    expect(anc.data.glossary).toEqual([expect.objectContaining({ term: 'ANC', definition: 'Antenatal care (ANC) visit: a pregnancy follow-up', synonyms: ['antenatal'] })]);
    // Another domain's member finds none of this domain's knowledge.
    const { user_id: outsiderId } = await tenantOf(outsider);
    const theirs = await searchKnowledgeTool.run(await scout.services.tools.context(outsiderId, outsider.membershipId, 'api'), { text: 'households with a latrine ANC' }, deps);
    expect(theirs.data.verified_queries).toEqual([]);
    expect(theirs.data.glossary).toEqual([]);
  });
});
