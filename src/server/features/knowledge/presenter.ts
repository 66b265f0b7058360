import type { Selectable } from 'kysely';
import type { KnowledgeEntry, KnowledgeSuggestion, KnowledgeVersion, Learning, SuggestionChange, VerifiedQuery } from '../../../shared/knowledge';
import type { KnowledgeLearningTable, KnowledgeSuggestionTable, VerifiedQueryTable } from '../../platform/db/schema';
import type { EntryRow, VersionRow } from './repo';

/** The only place a knowledge row becomes JSON. */

const person = (userId: string | null, name: string | null | undefined) => (userId ? { user_id: userId, name: name ?? null } : null);

export function presentEntry(row: EntryRow): KnowledgeEntry {
  return {
    id: row.id,
    kind: row.kind,
    key: row.key,
    name: row.name,
    description: row.description,
    table: row.table_name,
    column: row.column_name,
    value: row.value,
    sql: row.sql,
    details: row.details,
    source: row.source,
    version: row.version,
    updated_at: row.updated_at.toISOString(),
    updated_by: person(row.updated_by, row.updated_by_name),
  };
}

export function presentVersion(row: VersionRow): KnowledgeVersion {
  return {
    entry_id: row.entry_id,
    version: row.version,
    change: row.change,
    entry: row.snapshot as KnowledgeVersion['entry'],
    changed_by: person(row.changed_by, row.changed_by_name),
    approved_by: person(row.approved_by, row.approved_by_name),
    changed_at: row.changed_at.toISOString(),
  };
}

export type SuggestionRow = Selectable<KnowledgeSuggestionTable> & { suggested_by_name: string | null; reviewed_by_name: string | null };

export function presentSuggestion(row: SuggestionRow): KnowledgeSuggestion {
  return {
    id: row.id,
    status: row.status,
    change: row.change as SuggestionChange,
    note: row.note,
    suggested_by: { user_id: row.suggested_by ?? '', name: row.suggested_by_name },
    suggested_at: row.suggested_at.toISOString(),
    reviewed_by: person(row.reviewed_by, row.reviewed_by_name),
    reviewed_at: row.reviewed_at?.toISOString() ?? null,
    review_note: row.review_note,
    entry_id: row.entry_id,
  };
}

export type VerifiedRow = Selectable<VerifiedQueryTable> & { verified_by_name: string | null };

export function presentVerified(row: VerifiedRow): VerifiedQuery {
  return {
    id: row.id,
    question: row.question,
    sql: row.sql,
    answer_summary: row.answer_summary,
    verified_by: person(row.verified_by, row.verified_by_name),
    created_at: row.created_at.toISOString(),
  };
}

export type LearningRow = Selectable<KnowledgeLearningTable> & { submitted_by_name: string | null; reviewed_by_name: string | null };

export function presentLearning(row: LearningRow): Learning {
  return {
    id: row.id,
    question: row.question,
    original_sql: row.original_sql,
    corrected_sql: row.corrected_sql,
    correct_answer: row.correct_answer,
    note: row.note,
    status: row.status,
    submitted_by: person(row.submitted_by, row.submitted_by_name),
    submitted_at: row.submitted_at.toISOString(),
    reviewed_by: person(row.reviewed_by, row.reviewed_by_name),
    reviewed_at: row.reviewed_at?.toISOString() ?? null,
    review_note: row.review_note,
  };
}
