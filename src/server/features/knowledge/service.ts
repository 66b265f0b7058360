import { sql, type Kysely, type Transaction } from 'kysely';
import type pg from 'pg';
import { ERROR_CODES } from '../../../shared/errors';
import type {
  DescriptionInput,
  EntryKind,
  EntryPatch,
  GlossaryInput,
  KnowledgeEntry,
  KnowledgeLayer,
  KnowledgeMatches,
  KnowledgeSuggestion,
  KnowledgeVersion,
  Learning,
  LearningInput,
  MeasureInput,
  ReviewStatus,
  SuggestionChange,
  SuggestionInput,
  VerifiedQuery,
  VerifiedQueryInput,
} from '../../../shared/knowledge';
import type { Database } from '../../platform/db/schema';
import { AppError, notFound } from '../../platform/http/errors';
import { authorize } from '../../platform/permissions';
import type { MembershipRow } from '../tenants/repo';
import { isUuid } from '../tenants/repo';
import { checkQuery, QueryFailed, QueryRejected } from '../tools/query';
import { readDomainCatalog } from './catalog';
import { knowledgeCan } from './policy';
import { presentEntry, presentLearning, presentSuggestion, presentVerified, presentVersion, type LearningRow, type SuggestionRow, type VerifiedRow } from './presenter';
import { measureSql, proposeSemanticLayer } from './propose';
import { entryByKey, findEntry, liveEntries, valuesOf, versions, writeEntry, type ChangeAuthor, type EntryRow, type EntryValues } from './repo';
import { searchKnowledge } from './retrieval';

const LIST_MAX = 500;

/** The member a change is made by, and for accepted suggestions who approved it. */
type Author = ChangeAuthor & { userId: string };

/** `table`, `table.column`, `table.column=value`: the key of a description entry. */
function descriptionKey(input: DescriptionInput): { kind: EntryKind; key: string } {
  if (input.column === undefined) return { kind: 'table', key: input.table };
  if (input.value === undefined) return { kind: 'column', key: `${input.table}.${input.column}` };
  return { kind: 'value', key: `${input.table}.${input.column}=${input.value}` };
}

/** Fields a patch may set, per kind; anything else is a field error. */
const PATCHABLE: Record<EntryKind, ReadonlyArray<keyof EntryPatch>> = {
  glossary: ['name', 'description', 'synonyms'],
  measure: ['name', 'description', 'table', 'expression', 'filter'],
  table: ['description'],
  column: ['description'],
  value: ['description'],
  entity: ['name', 'description'],
  relationship: ['name', 'description'],
  dimension: ['name', 'description'],
};

/**
 * A domain's knowledge: Scout proposes the semantic layer from each sync;
 * owners and admins edit it, the glossary, descriptions and measures, and
 * verify queries; analysts suggest and report learnings for them to review.
 * Every change to an entry keeps a version with who and when.
 */
export class KnowledgeService {
  constructor(private readonly deps: { db: Kysely<Database>; warehousePool: pg.Pool }) {}

  private get db() {
    return this.deps.db;
  }

  // --- the layer ---

  async layer(membership: MembershipRow): Promise<KnowledgeLayer> {
    await ensureProposed(this.db, this.deps.warehousePool, membership);
    const rows = await liveEntries(this.db, membership.tenant_id);
    const of = (...kinds: EntryKind[]) => rows.filter((r) => kinds.includes(r.kind)).map(presentEntry);
    const state = await this.db.selectFrom('knowledge_proposal').selectAll().where('tenant_id', '=', membership.tenant_id).executeTakeFirst();
    const pending = await this.db
      .selectFrom('knowledge_suggestion')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('tenant_id', '=', membership.tenant_id)
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    return {
      entities: of('entity'),
      relationships: of('relationship'),
      measures: of('measure'),
      dimensions: of('dimension'),
      glossary: of('glossary'),
      descriptions: of('table', 'column', 'value'),
      proposed_at: state?.proposed_at.toISOString() ?? null,
      proposed_for_sync_at: state?.proposed_for_sync_at?.toISOString() ?? null,
      pending_suggestions: Number(pending.n),
      can: knowledgeCan(membership),
    };
  }

  async list(membership: MembershipRow, kinds: readonly EntryKind[]): Promise<KnowledgeEntry[]> {
    await ensureProposed(this.db, this.deps.warehousePool, membership);
    return (await liveEntries(this.db, membership.tenant_id, kinds)).map(presentEntry);
  }

  /** Proposes the layer again from the current sync (owners and admins); what people wrote stays. */
  async propose(membership: MembershipRow): Promise<{ proposed: number; changed: number }> {
    authorize(membership, 'knowledge.manage');
    const result = await ensureProposed(this.db, this.deps.warehousePool, membership, { force: true });
    if (!result) throw new AppError(409, ERROR_CODES.conflict, 'This domain has not been synced yet: sync it, then Scout proposes its semantic layer.');
    return result;
  }

  // --- direct edits (owners and admins), also what an accepted suggestion runs ---

  async createGlossary(membership: MembershipRow, input: GlossaryInput): Promise<KnowledgeEntry> {
    authorize(membership, 'knowledge.manage');
    return this.entry(membership, await this.applyCreateGlossary(membership, input, { userId: membership.user_id }));
  }

  async createMeasure(membership: MembershipRow, input: MeasureInput): Promise<KnowledgeEntry> {
    authorize(membership, 'knowledge.manage');
    return this.entry(membership, await this.applyCreateMeasure(membership, input, { userId: membership.user_id }));
  }

  async setDescription(membership: MembershipRow, input: DescriptionInput): Promise<KnowledgeEntry> {
    authorize(membership, 'knowledge.manage');
    return this.entry(membership, await this.applySetDescription(membership, input, { userId: membership.user_id }));
  }

  async update(membership: MembershipRow, id: string, patch: EntryPatch): Promise<KnowledgeEntry> {
    authorize(membership, 'knowledge.manage');
    return this.entry(membership, await this.applyUpdate(membership, id, patch, { userId: membership.user_id }));
  }

  async remove(membership: MembershipRow, id: string): Promise<void> {
    authorize(membership, 'knowledge.manage');
    await this.applyDelete(membership, id, { userId: membership.user_id });
  }

  async history(membership: MembershipRow, entryId?: string): Promise<KnowledgeVersion[]> {
    let query = versions(this.db, membership.tenant_id);
    if (entryId !== undefined) {
      // Deleted entries keep their history: look the entry up whatever its state.
      const entry = isUuid(entryId) ? await this.db.selectFrom('knowledge_entry').select('id').where('tenant_id', '=', membership.tenant_id).where('id', '=', entryId).executeTakeFirst() : undefined;
      if (!entry) throw notFound('This knowledge entry');
      query = query.where('v.entry_id', '=', entry.id).orderBy('v.version', 'desc');
    } else {
      // Scout's own proposals would drown people's changes: the domain's history is what people did.
      query = query.where('v.changed_by', 'is not', null).orderBy('v.changed_at', 'desc').orderBy('v.id', 'desc');
    }
    return (await query.limit(LIST_MAX).execute()).map(presentVersion);
  }

  private async entry(membership: MembershipRow, id: string): Promise<KnowledgeEntry> {
    const row = await findEntry(this.db, membership.tenant_id, id);
    if (!row) throw notFound('This knowledge entry');
    return presentEntry(row);
  }

  private async applyCreateGlossary(membership: MembershipRow, input: GlossaryInput, author: Author): Promise<string> {
    const key = input.term.trim().toLowerCase();
    return this.db.transaction().execute(async (trx) => {
      const existing = await entryByKey(trx, membership.tenant_id, 'glossary', key);
      if (existing && !existing.deleted_at) throw new AppError(409, ERROR_CODES.conflict, `The glossary already has "${existing.name}": change that entry instead.`, { term: ['This term is in the glossary already'] });
      const values: EntryValues = {
        kind: 'glossary',
        key,
        name: input.term.trim(),
        description: input.definition.trim(),
        table_name: null,
        column_name: null,
        value: null,
        sql: null,
        details: { synonyms: (input.synonyms ?? []).map((s) => s.trim()) },
        source: 'person',
      };
      return writeEntry(trx, membership.tenant_id, existing, values, 'created', author);
    });
  }

  private async applyCreateMeasure(membership: MembershipRow, input: MeasureInput, author: Author): Promise<string> {
    const filter = input.filter?.trim() || null;
    const query = await checkedMeasure(membership.schema_name, input.table, input.expression.trim(), filter);
    const key = `measure:${input.name.trim().toLowerCase()}`;
    return this.db.transaction().execute(async (trx) => {
      const clash = await trx
        .selectFrom('knowledge_entry')
        .select('name')
        .where('tenant_id', '=', membership.tenant_id)
        .where('kind', '=', 'measure')
        .where('deleted_at', 'is', null)
        .where(sql<boolean>`lower(name) = ${input.name.trim().toLowerCase()}`)
        .executeTakeFirst();
      if (clash) throw new AppError(409, ERROR_CODES.conflict, `A measure named "${clash.name}" exists: change it instead.`, { name: ['A measure has this name already'] });
      const existing = await entryByKey(trx, membership.tenant_id, 'measure', key);
      const values: EntryValues = {
        kind: 'measure',
        key,
        name: input.name.trim(),
        description: input.description?.trim() ?? '',
        table_name: input.table,
        column_name: null,
        value: null,
        sql: query,
        details: { expression: input.expression.trim(), ...(filter ? { filter } : {}) },
        source: 'person',
      };
      return writeEntry(trx, membership.tenant_id, existing, values, 'created', author);
    });
  }

  private async applySetDescription(membership: MembershipRow, input: DescriptionInput, author: Author): Promise<string> {
    const { kind, key } = descriptionKey(input);
    const name = input.value !== undefined ? `${input.table}.${input.column} = ${input.value}` : input.column !== undefined ? `${input.table}.${input.column}` : input.table;
    return this.db.transaction().execute(async (trx) => {
      const existing = await entryByKey(trx, membership.tenant_id, kind, key);
      const values: EntryValues = {
        kind,
        key,
        name,
        description: input.description.trim(),
        table_name: input.table,
        column_name: input.column ?? null,
        value: input.value ?? null,
        sql: null,
        details: {},
        source: 'person',
      };
      return writeEntry(trx, membership.tenant_id, existing, values, existing && !existing.deleted_at ? 'updated' : 'created', author);
    });
  }

  private async applyUpdate(membership: MembershipRow, id: string, patch: EntryPatch, author: Author): Promise<string> {
    const row = await findEntry(this.db, membership.tenant_id, id);
    if (!row) throw notFound('This knowledge entry');
    const allowed = PATCHABLE[row.kind];
    const wrong = Object.keys(patch).filter((field) => !allowed.includes(field as keyof EntryPatch));
    if (wrong.length > 0) {
      throw new AppError(400, ERROR_CODES.validation, 'Some fields need attention', Object.fromEntries(wrong.map((f) => [f, [`A ${row.kind} entry has no ${f}; it has ${allowed.join(', ')}`]])));
    }
    const values = valuesOf(row);
    if (patch.name !== undefined) values.name = patch.name.trim();
    if (patch.description !== undefined) values.description = patch.description.trim();
    if (patch.synonyms !== undefined) values.details = { ...values.details, synonyms: patch.synonyms.map((s) => s.trim()) };
    if (row.kind === 'measure' && (patch.table !== undefined || patch.expression !== undefined || patch.filter !== undefined)) {
      const table = patch.table ?? row.table_name ?? '';
      const expression = patch.expression?.trim() ?? String(row.details.expression ?? '');
      const filter = patch.filter === undefined ? ((row.details.filter as string | undefined) ?? null) : patch.filter?.trim() || null;
      values.table_name = table;
      values.sql = await checkedMeasure(membership.schema_name, table, expression, filter);
      const { filter: _old, ...rest } = values.details;
      values.details = { ...rest, expression, ...(filter ? { filter } : {}) };
    }
    // Once a person has touched it, a later proposal leaves it as they made it.
    values.source = 'person';
    return this.db.transaction().execute(async (trx) => {
      const current = await findEntry(trx, membership.tenant_id, row.id);
      if (!current) throw notFound('This knowledge entry');
      return writeEntry(trx, membership.tenant_id, current, values, 'updated', author);
    });
  }

  private async applyDelete(membership: MembershipRow, id: string, author: Author): Promise<string> {
    return this.db.transaction().execute(async (trx) => {
      const row = await findEntry(trx, membership.tenant_id, id);
      if (!row) throw notFound('This knowledge entry');
      // A person's deletion is theirs: a later proposal doesn't bring the entry back.
      return writeEntry(trx, membership.tenant_id, row, { ...valuesOf(row), source: 'person' }, 'deleted', author);
    });
  }

  private async apply(membership: MembershipRow, change: SuggestionChange, author: Author): Promise<string> {
    switch (change.action) {
      case 'create_glossary':
        return this.applyCreateGlossary(membership, change.glossary, author);
      case 'create_measure':
        return this.applyCreateMeasure(membership, change.measure, author);
      case 'set_description':
        return this.applySetDescription(membership, change.description, author);
      case 'update':
        return this.applyUpdate(membership, change.entry_id, change.patch, author);
      case 'delete':
        return this.applyDelete(membership, change.entry_id, author);
    }
  }

  // --- suggestions ---

  async suggest(membership: MembershipRow, input: SuggestionInput): Promise<KnowledgeSuggestion> {
    authorize(membership, 'knowledge.suggest');
    const change = input.change;
    // The same checks a direct edit makes, now, so that the reviewer sees only what could be accepted.
    if ('entry_id' in change && !(await findEntry(this.db, membership.tenant_id, change.entry_id))) {
      throw new AppError(400, ERROR_CODES.validation, 'Some fields need attention', { 'change.entry_id': ['No entry of this domain has this id'] });
    }
    if (change.action === 'create_measure') await checkedMeasure(membership.schema_name, change.measure.table, change.measure.expression, change.measure.filter ?? null, 'change.measure.');
    const inserted = await this.db
      .insertInto('knowledge_suggestion')
      .values({ tenant_id: membership.tenant_id, change: JSON.stringify(change), note: input.note?.trim() ?? '', suggested_by: membership.user_id })
      .returning('id')
      .executeTakeFirstOrThrow();
    return this.suggestion(membership, inserted.id);
  }

  async suggestions(membership: MembershipRow, status?: ReviewStatus): Promise<KnowledgeSuggestion[]> {
    let query = this.suggestionRows().where('s.tenant_id', '=', membership.tenant_id);
    if (status) query = query.where('s.status', '=', status);
    return (await query.orderBy('s.suggested_at', 'desc').orderBy('s.id').limit(LIST_MAX).execute()).map(presentSuggestion);
  }

  /** Accepting makes the change as the suggester made it, approved by the reviewer; both are in its version. */
  async accept(membership: MembershipRow, id: string, note?: string): Promise<KnowledgeSuggestion> {
    authorize(membership, 'knowledge.manage');
    const row = await this.pendingSuggestion(membership, id);
    const entryId = await this.apply(membership, row.change as SuggestionChange, { userId: row.suggested_by ?? membership.user_id, approvedBy: membership.user_id, suggestionId: row.id });
    await this.review(row.id, 'accepted', membership.user_id, note, entryId);
    return this.suggestion(membership, row.id);
  }

  async reject(membership: MembershipRow, id: string, note?: string): Promise<KnowledgeSuggestion> {
    authorize(membership, 'knowledge.manage');
    const row = await this.pendingSuggestion(membership, id);
    await this.review(row.id, 'rejected', membership.user_id, note);
    return this.suggestion(membership, row.id);
  }

  private suggestionRows() {
    return this.db
      .selectFrom('knowledge_suggestion as s')
      .leftJoin('user as a', 'a.id', 's.suggested_by')
      .leftJoin('user as r', 'r.id', 's.reviewed_by')
      .selectAll('s')
      .select(['a.name as suggested_by_name', 'r.name as reviewed_by_name']);
  }

  private async suggestion(membership: MembershipRow, id: string): Promise<KnowledgeSuggestion> {
    const row: SuggestionRow | undefined = isUuid(id) ? await this.suggestionRows().where('s.tenant_id', '=', membership.tenant_id).where('s.id', '=', id).executeTakeFirst() : undefined;
    if (!row) throw notFound('This suggestion');
    return presentSuggestion(row);
  }

  private async pendingSuggestion(membership: MembershipRow, id: string) {
    const row = isUuid(id)
      ? await this.db.selectFrom('knowledge_suggestion').selectAll().where('tenant_id', '=', membership.tenant_id).where('id', '=', id).executeTakeFirst()
      : undefined;
    if (!row) throw notFound('This suggestion');
    if (row.status !== 'pending') throw new AppError(409, ERROR_CODES.conflict, `This suggestion was ${row.status} already.`);
    return row;
  }

  /** Only a pending one changes: two reviewers at once can't both decide it. */
  private async review(id: string, status: 'accepted' | 'rejected', reviewer: string, note: string | undefined, entryId?: string): Promise<void> {
    await this.db
      .updateTable('knowledge_suggestion')
      .set({ status, reviewed_by: reviewer, reviewed_at: new Date(), review_note: note?.trim() || null, ...(entryId ? { entry_id: entryId } : {}) })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute();
  }

  // --- verified queries ---

  async verify(membership: MembershipRow, input: VerifiedQueryInput): Promise<VerifiedQuery> {
    authorize(membership, 'knowledge.manage');
    await checkedSql(membership.schema_name, input.sql, 'sql');
    const inserted = await this.db
      .insertInto('verified_query')
      .values({ tenant_id: membership.tenant_id, question: input.question.trim(), sql: input.sql, answer_summary: input.answer_summary?.trim() ?? '', verified_by: membership.user_id })
      .returning('id')
      .executeTakeFirstOrThrow();
    return presentVerified((await this.verifiedRows().where('v.id', '=', inserted.id).executeTakeFirstOrThrow()) as VerifiedRow);
  }

  async verifiedQueries(membership: MembershipRow): Promise<VerifiedQuery[]> {
    const rows = await this.verifiedRows().where('v.tenant_id', '=', membership.tenant_id).orderBy('v.created_at', 'desc').orderBy('v.id').limit(LIST_MAX).execute();
    return rows.map((r) => presentVerified(r as VerifiedRow));
  }

  async unverify(membership: MembershipRow, id: string): Promise<void> {
    authorize(membership, 'knowledge.manage');
    const deleted = isUuid(id) ? await this.db.deleteFrom('verified_query').where('tenant_id', '=', membership.tenant_id).where('id', '=', id).executeTakeFirst() : undefined;
    if (!deleted || Number(deleted.numDeletedRows) === 0) throw notFound('This verified query');
  }

  private verifiedRows() {
    return this.db
      .selectFrom('verified_query as v')
      .leftJoin('user as u', 'u.id', 'v.verified_by')
      .select(['v.id', 'v.tenant_id', 'v.question', 'v.sql', 'v.answer_summary', 'v.verified_by', 'v.created_at', 'u.name as verified_by_name']);
  }

  // --- learnings ---

  async learn(membership: MembershipRow, input: LearningInput): Promise<Learning> {
    authorize(membership, 'knowledge.suggest');
    if (input.corrected_sql !== undefined) await checkedSql(membership.schema_name, input.corrected_sql, 'corrected_sql');
    const inserted = await this.db
      .insertInto('knowledge_learning')
      .values({
        tenant_id: membership.tenant_id,
        question: input.question.trim(),
        original_sql: input.original_sql,
        corrected_sql: input.corrected_sql ?? null,
        correct_answer: input.correct_answer?.trim() || null,
        note: input.note?.trim() ?? '',
        submitted_by: membership.user_id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return this.learning(membership, inserted.id);
  }

  async learnings(membership: MembershipRow, status?: ReviewStatus): Promise<Learning[]> {
    let query = this.learningRows().where('l.tenant_id', '=', membership.tenant_id);
    if (status) query = query.where('l.status', '=', status);
    return (await query.orderBy('l.submitted_at', 'desc').orderBy('l.id').limit(LIST_MAX).execute()).map((r) => presentLearning(r as LearningRow));
  }

  async reviewLearning(membership: MembershipRow, id: string, status: 'accepted' | 'rejected', note?: string): Promise<Learning> {
    authorize(membership, 'knowledge.manage');
    const current = await this.learning(membership, id);
    if (current.status !== 'pending') throw new AppError(409, ERROR_CODES.conflict, `This learning was ${current.status} already.`);
    await this.db
      .updateTable('knowledge_learning')
      .set({ status, reviewed_by: membership.user_id, reviewed_at: new Date(), review_note: note?.trim() || null })
      .where('id', '=', current.id)
      .where('status', '=', 'pending')
      .execute();
    return this.learning(membership, current.id);
  }

  private learningRows() {
    return this.db
      .selectFrom('knowledge_learning as l')
      .leftJoin('user as s', 's.id', 'l.submitted_by')
      .leftJoin('user as r', 'r.id', 'l.reviewed_by')
      .select([
        'l.id',
        'l.tenant_id',
        'l.question',
        'l.original_sql',
        'l.corrected_sql',
        'l.correct_answer',
        'l.note',
        'l.status',
        'l.submitted_by',
        'l.submitted_at',
        'l.reviewed_by',
        'l.reviewed_at',
        'l.review_note',
        's.name as submitted_by_name',
        'r.name as reviewed_by_name',
      ]);
  }

  private async learning(membership: MembershipRow, id: string): Promise<Learning> {
    const row = isUuid(id) ? await this.learningRows().where('l.tenant_id', '=', membership.tenant_id).where('l.id', '=', id).executeTakeFirst() : undefined;
    if (!row) throw notFound('This learning');
    return presentLearning(row as LearningRow);
  }

  // --- retrieval ---

  async search(membership: MembershipRow, text: string): Promise<KnowledgeMatches> {
    await ensureProposed(this.db, this.deps.warehousePool, membership);
    return searchKnowledge(this.db, membership.tenant_id, text);
  }
}

/** The SQL as the query tool would check it: a 400 on `field` when it would be refused. */
export async function checkedSql(schema: string, query: string, field: string): Promise<void> {
  try {
    await checkQuery(query, schema);
  } catch (error) {
    if (error instanceof QueryRejected || error instanceof QueryFailed) {
      const message = `The query would be refused: ${error.message}`;
      throw new AppError(400, ERROR_CODES.validation, message, { [field]: [message] });
    }
    throw error;
  }
}

async function checkedMeasure(schema: string, table: string, expression: string, filter: string | null, prefix = ''): Promise<string> {
  const query = measureSql(table, expression, filter);
  try {
    await checkQuery(query, schema);
  } catch (error) {
    if (error instanceof QueryRejected || error instanceof QueryFailed) {
      const message = `The measure's query (${query}) would be refused: ${error.message}`;
      throw new AppError(400, ERROR_CODES.validation, message, { [`${prefix}${filter ? 'filter' : 'expression'}`]: [message] });
    }
    throw error;
  }
  return query;
}

/**
 * Proposes the domain's semantic layer when its warehouse has synced since
 * the last proposal (or always with `force`): new entries are created,
 * Scout's earlier ones updated or retired, and what people wrote or deleted
 * stays as they left it. One proposal at a time per domain (an advisory
 * lock); undefined when there is no synced data to propose from.
 */
export async function ensureProposed(
  db: Kysely<Database>,
  warehousePool: pg.Pool,
  tenant: Pick<MembershipRow, 'tenant_id' | 'schema_name' | 'domain'>,
  options: { force?: boolean } = {},
): Promise<{ proposed: number; changed: number } | undefined> {
  const synced = await db.selectFrom('tenant_schema').select(['last_sync_at', 'state']).where('tenant_id', '=', tenant.tenant_id).executeTakeFirst();
  if (!synced?.last_sync_at || synced.state === 'expired' || synced.state === 'teardown') return undefined;
  const syncedAt = synced.last_sync_at;
  const upToDate = async (trx: Kysely<Database> | Transaction<Database>) => {
    const state = await trx.selectFrom('knowledge_proposal').select('proposed_for_sync_at').where('tenant_id', '=', tenant.tenant_id).executeTakeFirst();
    return !options.force && state?.proposed_for_sync_at?.getTime() === syncedAt.getTime();
  };
  if (await upToDate(db)) return undefined;
  const catalog = await readDomainCatalog(warehousePool, tenant.schema_name, tenant.domain);
  if (!catalog) return undefined;
  const proposed = proposeSemanticLayer(catalog);
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`knowledge:${tenant.tenant_id}`}))`.execute(trx);
    if (await upToDate(trx)) return undefined;
    const existing = await trx
      .selectFrom('knowledge_entry as e')
      .leftJoin('user as u', 'u.id', 'e.updated_by')
      .selectAll('e')
      .select('u.name as updated_by_name')
      .where('e.tenant_id', '=', tenant.tenant_id)
      .where('e.kind', 'in', ['entity', 'relationship', 'measure', 'dimension'])
      .execute();
    const byKey = new Map(existing.map((row) => [`${row.kind}\u0000${row.key}`, row as EntryRow]));
    const scout = { userId: null };
    let changed = 0;
    const seen = new Set<string>();
    for (const entry of proposed) {
      const id = `${entry.kind}\u0000${entry.key}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const values: EntryValues = {
        kind: entry.kind,
        key: entry.key,
        name: entry.name,
        description: entry.description,
        table_name: entry.table,
        column_name: entry.column,
        value: null,
        sql: entry.sql,
        details: entry.details,
        source: 'proposed',
      };
      const row = byKey.get(id);
      if (row?.source === 'person') continue;
      if (row && !row.deleted_at && sameEntry(valuesOf(row), values)) continue;
      await writeEntry(trx, tenant.tenant_id, row, values, row && !row.deleted_at ? 'updated' : 'created', scout);
      changed++;
    }
    // What the app and the data no longer have, Scout retires (people's entries stay).
    for (const row of existing) {
      if (row.source !== 'proposed' || row.deleted_at || seen.has(`${row.kind}\u0000${row.key}`)) continue;
      await writeEntry(trx, tenant.tenant_id, row as EntryRow, valuesOf(row as EntryRow), 'deleted', scout);
      changed++;
    }
    await trx
      .insertInto('knowledge_proposal')
      .values({ tenant_id: tenant.tenant_id, proposed_for_sync_at: syncedAt, proposed_at: new Date() })
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ proposed_for_sync_at: syncedAt, proposed_at: new Date() }))
      .execute();
    return { proposed: seen.size, changed };
  });
}

function sameEntry(a: EntryValues, b: EntryValues): boolean {
  return a.name === b.name && a.description === b.description && a.table_name === b.table_name && a.column_name === b.column_name && a.sql === b.sql && canonical(a.details) === canonical(b.details);
}

/** JSON with keys sorted: jsonb stores objects in its own key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
