import type { ChartConfig } from './charts/types';
import type { ChartSpec } from './charts/spec';
import type { QueryResult } from './tools';

/**
 * Saved questions, dashboards, schedules and share links: the wire shapes the
 * server answers with and the web reads. The rules (who edits, what runs) live
 * on the server.
 */

export const PARAMETER_TYPES = ['text', 'number', 'date', 'date_range', 'choice'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

/** A date range's value: both ends inclusive, ISO dates (YYYY-MM-DD). */
export interface DateRange {
  from: string;
  to: string;
}

export type ParameterValue = string | number | DateRange;

/**
 * A question's parameter, written `{{name}}` in its SQL (`{{name.from}}` and
 * `{{name.to}}` for a date range) and bound as a typed value, never spliced.
 * A choice offers the values of `options.column` in `options.table`, or the
 * fixed `options.values`.
 */
export interface QuestionParameter {
  name: string;
  type: ParameterType;
  label?: string;
  /** Used when a run gives no value; without one the parameter is required. */
  default?: ParameterValue;
  options?: { table?: string; column?: string; values?: string[] };
}

export interface Question {
  id: string;
  title: string;
  description: string;
  sql: string;
  parameters: QuestionParameter[];
  chart: ChartConfig | null;
  author: { user_id: string; name: string | null };
  created_at: string;
  updated_at: string;
  /** What the caller may do with it (the server's permission table answers). */
  can: { edit: boolean; schedule: boolean };
  schedule: Schedule | null;
}

/** What running a question answers: the query tool's result, the chart drawn from it, the values bound. */
export interface QuestionRun extends QueryResult {
  question_id: string;
  chart: ChartConfig | null;
  spec: ChartSpec | null;
  parameters: Record<string, ParameterValue>;
}

/** What the save_question tool answers: in the chat a draft the person confirms (nothing saved yet), elsewhere the saved question. */
export type SaveQuestionResult =
  | { status: 'needs_confirmation'; draft: { title: string; description: string; sql: string; parameters: QuestionParameter[]; chart: ChartConfig | null } }
  | { status: 'saved'; question: { id: string; title: string } };

export const TILE_KINDS = ['question', 'number', 'text'] as const;
export type TileKind = (typeof TILE_KINDS)[number];

/** Grid units: 12 columns; rows of about 40 px. */
export interface TileLayout {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * One tile: a question shown as its chart or as a table, a big number (the
 * first value of the question's first row), or a text note (Markdown).
 * `filters` maps a dashboard filter's name to this tile's question parameter.
 */
export interface DashboardTile {
  id: string;
  kind: TileKind;
  question_id?: string;
  display?: 'chart' | 'table';
  title?: string;
  text?: string;
  layout: TileLayout;
  filters?: Record<string, string>;
}

/** A filter on the dashboard's bar, applied to the tiles that map it. */
export interface DashboardFilter {
  name: string;
  type: ParameterType;
  label?: string;
  default?: ParameterValue;
}

export interface Dashboard {
  id: string;
  title: string;
  description: string;
  tiles: DashboardTile[];
  filters: DashboardFilter[];
  author: { user_id: string; name: string | null };
  created_at: string;
  updated_at: string;
  can: { edit: boolean; schedule: boolean; share: boolean };
  schedule: Schedule | null;
  share: ShareLink | null;
}

export type TileStatus = 'ok' | 'error';

/** One tile's answer: a question tile's run, or why it failed (a failing tile doesn't fail the others). */
export interface TileResult {
  tile_id: string;
  status: TileStatus;
  run?: QuestionRun;
  error?: { code: string; message: string };
  timing_ms: number;
}

/** Every tile's answer, live or from the last stored run (`source`), and when it ran. */
export interface DashboardData {
  dashboard_id: string;
  source: 'live' | 'stored';
  ran_at: string;
  filters: Record<string, ParameterValue>;
  tiles: TileResult[];
}

export const SCHEDULE_EVERY = ['hour', 'day', 'week'] as const;
export type ScheduleEvery = (typeof SCHEDULE_EVERY)[number];
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const SCHEDULE_STATES = ['active', 'failing', 'paused'] as const;
export type ScheduleState = (typeof SCHEDULE_STATES)[number];
export type ScheduleTarget = 'question' | 'dashboard' | 'warehouse';

/** What `PUT …/schedule` takes: every hour (at minute `at`'s minutes), day (at `at`), week (on `day` at `at`), or a cron expression. */
export interface ScheduleInput {
  every?: ScheduleEvery;
  at?: string;
  day?: Weekday;
  cron?: string;
  timezone: string;
  /** Also run after each completed sync of the domain (questions and dashboards). */
  after_sync?: boolean;
}

export interface Schedule {
  id: string;
  target: ScheduleTarget;
  target_id: string | null;
  every: ScheduleEvery | null;
  at: string | null;
  day: Weekday | null;
  cron: string | null;
  timezone: string;
  after_sync: boolean;
  /** In words: "Every day at 07:00 (Africa/Nairobi)". */
  summary: string;
  state: ScheduleState;
  /** Why it is failing or paused. */
  reason: string | null;
  next_run_at: string | null;
  last_run_at: string | null;
  last_status: 'completed' | 'failed' | 'partial' | null;
}

/** A stored run of a schedule, newest first in lists. */
export interface ScheduledRun {
  id: string;
  schedule_id: string;
  status: 'completed' | 'failed' | 'partial';
  started_at: string;
  finished_at: string;
  error: string | null;
}

/** A dashboard's share link: the token is shown once, when it is made. */
export interface ShareLink {
  id: string;
  created_at: string;
  expires_at: string;
  /** Only in the answer that made it. */
  url?: string;
}

/** What a share link shows, signed out: the dashboard's layout and its last scheduled run, nothing else. */
export interface SharedDashboard {
  title: string;
  description: string;
  tiles: DashboardTile[];
  filters: Record<string, ParameterValue>;
  data: DashboardData | null;
  expires_at: string;
}

export const QUESTION_TITLE_MAX = 200;
export const QUESTION_DESCRIPTION_MAX = 2_000;
export const MAX_PARAMETERS = 20;
export const MAX_TILES = 30;
export const MAX_FILTERS = 10;
export const SHARE_DAYS_DEFAULT = 30;
export const SHARE_DAYS_MAX = 365;
