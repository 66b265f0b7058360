import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { KnowledgeMatches } from '../../../shared/knowledge';
import type { Database } from '../../platform/db/schema';

/**
 * Retrieval by PostgreSQL full-text search: the question's words, stemmed
 * (english), any of them (OR, with prefixes for longer words), ranked by
 * ts_rank against the stored tsvectors. A paraphrase shares the content
 * words, not the wording, so matching any word and ranking by how many match
 * finds it where an AND of every word would not. Glossary terms found in the
 * question add their definitions to it ("ANC" also searches "antenatal care").
 */

const MATCHES_PER_LIST = 5;
const GLOSSARY_SCAN = 500;

/** The OR-query of a text's lexemes, as SQL: NULL (matches nothing) when it has none. */
function anyWord(text: string): RawBuilder<unknown> {
  return sql`(SELECT to_tsquery('simple', string_agg(CASE WHEN length(l) >= 4 THEN l || ':*' ELSE l END, ' | '))
                FROM unnest(tsvector_to_array(to_tsvector('english', ${text}))) AS l
               WHERE l ~ '^[[:alnum:]_]+$')`;
}

/** Whether `term` appears in `text` as a whole word or phrase, whatever the case (a scan: no pattern built from the term). */
export function mentions(text: string, term: string): boolean {
  const needle = term.trim().toLowerCase();
  if (needle === '') return false;
  const haystack = text.toLowerCase();
  const isWordChar = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    if (!isWordChar(haystack[at - 1]) && !isWordChar(haystack[at + needle.length])) return true;
  }
  return false;
}

export async function searchKnowledge(db: Kysely<Database>, tenantId: string, text: string, limit = MATCHES_PER_LIST): Promise<KnowledgeMatches> {
  const glossary = await db
    .selectFrom('knowledge_entry')
    .select(['id', 'name', 'description', 'details'])
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'glossary')
    .where('deleted_at', 'is', null)
    .orderBy('key')
    .limit(GLOSSARY_SCAN)
    .execute();
  const synonymsOf = (details: Record<string, unknown>) => (Array.isArray(details.synonyms) ? (details.synonyms as unknown[]).filter((s): s is string => typeof s === 'string') : []);
  const named = glossary.filter((g) => [g.name, ...synonymsOf(g.details)].some((term) => mentions(text, term)));
  const expanded = [text, ...named.map((g) => `${g.name} ${g.description} ${synonymsOf(g.details).join(' ')}`)].join(' ');
  const query = anyWord(expanded);

  const entries = await db
    .selectFrom('knowledge_entry as e')
    .select(['e.id', 'e.kind', 'e.name', 'e.description', 'e.sql', 'e.details', sql<number>`ts_rank(e.search, q.q)`.as('rank')])
    .innerJoin(sql<{ q: unknown }>`(SELECT ${query} AS q)`.as('q'), (join) => join.onTrue())
    .where('e.tenant_id', '=', tenantId)
    .where('e.deleted_at', 'is', null)
    .where('e.kind', 'in', ['glossary', 'measure'])
    .where(sql<boolean>`e.search @@ q.q`)
    .orderBy('rank', 'desc')
    .orderBy('e.key')
    .limit(limit * 4)
    .execute();

  const byId = new Map<string, { term: string; definition: string; synonyms: string[]; rank: number }>();
  // A term the question names outright comes first, whatever the ranking says.
  for (const g of named) byId.set(g.id, { term: g.name, definition: g.description, synonyms: synonymsOf(g.details), rank: 1 });
  for (const e of entries.filter((e) => e.kind === 'glossary')) if (!byId.has(e.id)) byId.set(e.id, { term: e.name, definition: e.description, synonyms: synonymsOf(e.details), rank: Number(e.rank) });

  const verified = await db
    .selectFrom('verified_query as v')
    .innerJoin(sql<{ q: unknown }>`(SELECT ${query} AS q)`.as('q'), (join) => join.onTrue())
    .select(['v.id', 'v.question', 'v.sql', 'v.answer_summary', sql<number>`ts_rank(v.search, q.q)`.as('rank')])
    .where('v.tenant_id', '=', tenantId)
    .where(sql<boolean>`v.search @@ q.q`)
    .orderBy('rank', 'desc')
    .orderBy('v.created_at', 'desc')
    .limit(limit)
    .execute();

  const learnings = await db
    .selectFrom('knowledge_learning as l')
    .innerJoin(sql<{ q: unknown }>`(SELECT ${query} AS q)`.as('q'), (join) => join.onTrue())
    .select(['l.id', 'l.question', 'l.corrected_sql', 'l.correct_answer', 'l.note', sql<number>`ts_rank(l.search, q.q)`.as('rank')])
    .where('l.tenant_id', '=', tenantId)
    // Only what an owner or admin accepted teaches the agent.
    .where('l.status', '=', 'accepted')
    .where(sql<boolean>`l.search @@ q.q`)
    .orderBy('rank', 'desc')
    .orderBy('l.submitted_at', 'desc')
    .limit(limit)
    .execute();

  return {
    glossary: [...byId.values()].slice(0, limit),
    measures: entries
      .filter((e) => e.kind === 'measure')
      .slice(0, limit)
      .map((e) => ({ name: e.name, description: e.description, sql: e.sql, rank: Number(e.rank) })),
    verified_queries: verified.map((v) => ({ id: v.id, question: v.question, sql: v.sql, answer_summary: v.answer_summary, rank: Number(v.rank) })),
    learnings: learnings.map((l) => ({ id: l.id, question: l.question, corrected_sql: l.corrected_sql, correct_answer: l.correct_answer, note: l.note, rank: Number(l.rank) })),
  };
}
