import { z } from 'zod';

/**
 * A domain's knowledge: the semantic layer Scout proposes from the CommCare
 * app (entities, relationships, measures, dimensions), what people add or
 * correct (glossary, descriptions, value meanings, measures), verified
 * queries and reviewed learnings. Wire shapes and request bodies; the rules
 * live on the server (features/knowledge).
 */

export const ENTRY_KINDS = ['entity', 'relationship', 'measure', 'dimension', 'glossary', 'table', 'column', 'value'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** `proposed`: written by Scout from the app and the data (and rewritten when they change); `person`: written or edited by someone, never overwritten by a proposal. */
export type EntrySource = 'proposed' | 'person';

export const TERM_MAX = 100;
export const DESCRIPTION_MAX = 2_000;
export const SYNONYMS_MAX = 20;
export const NOTE_MAX = 2_000;
export const QUESTION_MAX = 1_000;
export const SQL_MAX = 20_000;
export const SEARCH_TEXT_MAX = 1_000;
const NAME_MAX = 63;

export interface KnowledgeEntry {
  id: string;
  kind: EntryKind;
  key: string;
  name: string;
  description: string;
  table: string | null;
  column: string | null;
  value: string | null;
  /** A measure's whole query, a dimension's column expression, a relationship's join condition, an entity's table. */
  sql: string | null;
  /** Kind-specific: a measure's expression and filter, a dimension's type and choices, a glossary term's synonyms. */
  details: Record<string, unknown>;
  source: EntrySource;
  version: number;
  updated_at: string;
  updated_by: { user_id: string; name: string | null } | null;
}

export interface KnowledgeLayer {
  entities: KnowledgeEntry[];
  relationships: KnowledgeEntry[];
  measures: KnowledgeEntry[];
  dimensions: KnowledgeEntry[];
  glossary: KnowledgeEntry[];
  /** Table and column descriptions and value meanings people wrote. */
  descriptions: KnowledgeEntry[];
  /** When Scout last proposed the layer, from the sync of `proposed_for_sync_at`. */
  proposed_at: string | null;
  proposed_for_sync_at: string | null;
  pending_suggestions: number;
  can: KnowledgeCan;
}

export interface KnowledgeCan {
  /** Edit directly, review suggestions and learnings, verify queries, propose again. */
  edit: boolean;
  /** Suggest changes and submit learnings. */
  suggest: boolean;
}

export type VersionChange = 'created' | 'updated' | 'deleted';

export interface KnowledgeVersion {
  entry_id: string;
  version: number;
  change: VersionChange;
  /** The entry as it was after this change. */
  entry: Pick<KnowledgeEntry, 'kind' | 'key' | 'name' | 'description' | 'table' | 'column' | 'value' | 'sql' | 'details' | 'source'>;
  /** Who made the change; null when Scout proposed it. */
  changed_by: { user_id: string; name: string | null } | null;
  /** Set when the change was a suggestion someone accepted. */
  approved_by: { user_id: string; name: string | null } | null;
  changed_at: string;
}

export type ReviewStatus = 'pending' | 'accepted' | 'rejected';

export interface KnowledgeSuggestion {
  id: string;
  status: ReviewStatus;
  change: SuggestionChange;
  note: string;
  suggested_by: { user_id: string; name: string | null };
  suggested_at: string;
  reviewed_by: { user_id: string; name: string | null } | null;
  reviewed_at: string | null;
  review_note: string | null;
  /** The entry it changed or created, once accepted. */
  entry_id: string | null;
}

export interface VerifiedQuery {
  id: string;
  question: string;
  sql: string;
  answer_summary: string;
  verified_by: { user_id: string; name: string | null } | null;
  created_at: string;
}

export interface Learning {
  id: string;
  question: string;
  original_sql: string;
  corrected_sql: string | null;
  correct_answer: string | null;
  note: string;
  status: ReviewStatus;
  submitted_by: { user_id: string; name: string | null } | null;
  submitted_at: string;
  reviewed_by: { user_id: string; name: string | null } | null;
  reviewed_at: string | null;
  review_note: string | null;
}

/** What retrieval (GET …/knowledge/search, the search_knowledge tool) answers, best first in each list. */
export interface KnowledgeMatches {
  glossary: Array<{ term: string; definition: string; synonyms: string[]; rank: number }>;
  measures: Array<{ name: string; description: string; sql: string | null; rank: number }>;
  verified_queries: Array<{ id: string; question: string; sql: string; answer_summary: string; rank: number }>;
  learnings: Array<{ id: string; question: string; corrected_sql: string | null; correct_answer: string | null; note: string; rank: number }>;
}

// --- request bodies ---

const text = (max: number, what: string) => z.string().max(max, `${what} has at most ${max} characters`);
const required = (max: number, what: string) => z.string().trim().min(1, `Write the ${what}`).max(max, `The ${what} has at most ${max} characters`);
const sqlName = (what: string) =>
  z
    .string()
    .min(1, `Name the ${what}`)
    .max(NAME_MAX, `A ${what} name has at most ${NAME_MAX} characters`)
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, `A ${what} name is letters, digits and _ (as list_tables shows it)`);

export const glossaryInput = z
  .object({
    /** The word or abbreviation people use, e.g. "ANC". */
    term: required(TERM_MAX, 'term'),
    /** What it means in this domain, e.g. "antenatal care visit". */
    definition: required(DESCRIPTION_MAX, 'definition'),
    /** Other words for the same thing. */
    synonyms: z.array(required(TERM_MAX, 'synonym')).max(SYNONYMS_MAX, `At most ${SYNONYMS_MAX} synonyms`).optional(),
  })
  .strict();
export type GlossaryInput = z.infer<typeof glossaryInput>;

export const measureInput = z
  .object({
    /** How people say it: "open cases", "visits". */
    name: required(TERM_MAX, 'name'),
    description: text(DESCRIPTION_MAX, 'The description').optional(),
    /** The table or view it counts over. */
    table: sqlName('table'),
    /** An aggregate over that table: "count(*)", "count(DISTINCT user_id)". */
    expression: required(1_000, 'expression'),
    /** A condition on its rows: "closed = false". */
    filter: text(2_000, 'The filter').optional(),
  })
  .strict();
export type MeasureInput = z.infer<typeof measureInput>;

export const descriptionInput = z
  .object({
    table: sqlName('table'),
    /** Without column: the table's description. */
    column: sqlName('column').optional(),
    /** With column: what this value of the column means. */
    value: z.string().min(1, 'Give the value').max(200, 'A value has at most 200 characters').optional(),
    description: required(DESCRIPTION_MAX, 'description'),
  })
  .strict()
  .refine((input) => input.value === undefined || input.column !== undefined, { message: 'A value meaning needs its column', path: ['column'] });
export type DescriptionInput = z.infer<typeof descriptionInput>;

/** A change to an existing entry: only the fields its kind has (the server says which). */
export const entryPatch = z
  .object({
    name: required(TERM_MAX, 'name').optional(),
    description: text(DESCRIPTION_MAX, 'The description').optional(),
    synonyms: z.array(required(TERM_MAX, 'synonym')).max(SYNONYMS_MAX, `At most ${SYNONYMS_MAX} synonyms`).optional(),
    table: sqlName('table').optional(),
    expression: required(1_000, 'expression').optional(),
    filter: text(2_000, 'The filter').nullable().optional(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'Change at least one field', path: ['_'] });
export type EntryPatch = z.infer<typeof entryPatch>;

const entryId = z.uuid('entry_id must be the id of an entry of this domain');

/** What an analyst proposes; an owner or admin accepts (then it is made as if they had made it) or rejects it. */
export const suggestionChange = z.discriminatedUnion(
  'action',
  [
    z.object({ action: z.literal('create_glossary'), glossary: glossaryInput }).strict(),
    z.object({ action: z.literal('create_measure'), measure: measureInput }).strict(),
    z.object({ action: z.literal('set_description'), description: descriptionInput }).strict(),
    z.object({ action: z.literal('update'), entry_id: entryId, patch: entryPatch }).strict(),
    z.object({ action: z.literal('delete'), entry_id: entryId }).strict(),
  ],
  { error: 'action is one of create_glossary, create_measure, set_description, update, delete' },
);
export type SuggestionChange = z.infer<typeof suggestionChange>;

export const suggestionInput = z
  .object({
    change: suggestionChange,
    /** Why: what the reviewer should know. */
    note: text(NOTE_MAX, 'The note').optional(),
  })
  .strict();
export type SuggestionInput = z.infer<typeof suggestionInput>;

export const reviewInput = z.object({ note: text(NOTE_MAX, 'The note').optional() }).strict();

export const verifiedQueryInput = z
  .object({
    /** The question as a person asked it. */
    question: required(QUESTION_MAX, 'question'),
    /** SQL that answers it correctly (checked like the query tool's). */
    sql: required(SQL_MAX, 'SQL'),
    /** The answer in words, e.g. "42 households have a latrine". */
    answer_summary: text(DESCRIPTION_MAX, 'The answer summary').optional(),
  })
  .strict();
export type VerifiedQueryInput = z.infer<typeof verifiedQueryInput>;

export const learningInput = z
  .object({
    question: required(QUESTION_MAX, 'question'),
    /** The SQL that gave the wrong answer. */
    original_sql: required(SQL_MAX, 'original SQL'),
    /** SQL that answers correctly (checked like the query tool's). */
    corrected_sql: text(SQL_MAX, 'The corrected SQL').min(1, 'Write the corrected SQL or leave it out').optional(),
    /** The right answer, in words. */
    correct_answer: text(DESCRIPTION_MAX, 'The correct answer').optional(),
    /** What was wrong. */
    note: text(NOTE_MAX, 'The note').optional(),
  })
  .strict()
  .refine((input) => input.corrected_sql !== undefined || input.correct_answer !== undefined || (input.note ?? '').trim() !== '', {
    message: 'Say what is right: corrected_sql, correct_answer or a note',
    path: ['corrected_sql'],
  });
export type LearningInput = z.infer<typeof learningInput>;

export const searchInput = z.object({ text: required(SEARCH_TEXT_MAX, 'text to search for') }).strict();
