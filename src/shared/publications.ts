import type { ChartSpec } from './charts/spec';

/**
 * Publications: what Scout posts to a connector (a WordPress post, a tweet, a
 * LinkedIn post), drafted by a person or the agent, approved by an owner or
 * admin, then published. The wire shapes; the rules live on the server.
 */

export const PUBLICATION_STATES = ['draft', 'pending_approval', 'approved', 'published', 'failed', 'rejected'] as const;
export type PublicationState = (typeof PUBLICATION_STATES)[number];

export const PUBLICATION_SOURCES = ['manual', 'question', 'dashboard', 'chat', 'schedule'] as const;
export type PublicationSourceKind = (typeof PUBLICATION_SOURCES)[number];

/** A few rows of a result, shown under the text: data, always escaped for the target. */
export interface TableExcerpt {
  columns: string[];
  rows: string[][];
}

/** What is published: plain text (paragraphs split by blank lines), an optional chart and table excerpt. */
export interface PublicationContent {
  title: string;
  text: string;
  /** A Vega-Lite spec with its data: Scout draws it as a PNG and attaches it. */
  chart: ChartSpec | null;
  table: TableExcerpt | null;
}

export interface Publication extends PublicationContent {
  id: string;
  connector: { id: string; name: string; catalog_key: string } | null;
  state: PublicationState;
  source: { kind: PublicationSourceKind; id: string | null };
  external_id: string | null;
  external_url: string | null;
  /** Why it failed or was rejected. */
  error: string | null;
  attempts: number;
  drafted_by: { user_id: string | null; name: string | null; via_agent: boolean };
  approved_by: { user_id: string | null; name: string | null } | null;
  approved_at: string | null;
  published_at: string | null;
  created_at: string;
  updated_at: string;
  can: { edit: boolean; approve: boolean };
}

/** `POST …/publications`: a draft, or (`submit: true`, the default) one waiting for approval. */
export interface PublicationInput {
  connector_id: string;
  title: string;
  text: string;
  chart?: ChartSpec | null;
  table?: TableExcerpt | null;
  source?: { kind: PublicationSourceKind; id?: string | null };
  submit?: boolean;
}

/** How a target shows a publication before it is posted (the compose dialog's preview). */
export interface PublicationPreview {
  catalog_key: string;
  /** WordPress: the post's HTML; X and LinkedIn: the text as posted. */
  body: string;
  format: 'html' | 'text';
  /** Characters the target allows (X: 280), when it limits them. */
  limit: number | null;
  length: number;
  warnings: string[];
}

/** A schedule's delivery: each run becomes a publication to this connector. */
export interface ScheduleDelivery {
  connector_id: string;
  /** Published without approval: only an owner turns this on, per connector and schedule. */
  auto_publish: boolean;
}

export const PUBLICATION_TITLE_MAX = 200;
export const PUBLICATION_TEXT_MAX = 20_000;
export const TABLE_EXCERPT_ROWS = 20;
