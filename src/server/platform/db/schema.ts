import type { ColumnType, Generated } from 'kysely';
import type { CredentialType, Provider, Role } from '../../../shared/tenants';
import type { MemberChangeAction } from '../../../shared/members';
import type { ChartConfig } from '../../../shared/charts/types';
import type { ChartSpec } from '../../../shared/charts/spec';
import type { PublicationSourceKind, PublicationState, TableExcerpt } from '../../../shared/publications';
import type { DashboardFilter, DashboardTile, QuestionParameter, ScheduleEvery, ScheduleState, ScheduleTarget, Weekday } from '../../../shared/questions';

/** Scout's own tables (better-auth's are typed by better-auth; `user` only as far as Scout joins it). */
export interface Database {
  encryption_key_check: EncryptionKeyCheckTable;
  tenant: TenantTable;
  tenant_membership: TenantMembershipTable;
  tenant_credential: TenantCredentialTable;
  user: UserTable;
  account: AccountTable;
  tenant_schema: TenantSchemaTable;
  materialization_run: MaterializationRunTable;
  warehouse_worker: WarehouseWorkerTable;
  tool_call: ToolCallTable;
  member_change: MemberChangeTable;
  mcp_token: McpTokenTable;
  mcp_oauth_grant: McpOAuthGrantTable;
  oauthClient: OAuthClientTable;
  oauthRefreshToken: OAuthRefreshTokenTable;
  oauthAccessToken: OAuthTokenRowTable;
  oauthConsent: OAuthConsentTable;
  chat_thread: ChatThreadTable;
  chat_message: ChatMessageTable;
  connector_catalog: ConnectorCatalogTable;
  connector: ConnectorTable;
  connector_secret: ConnectorSecretTable;
  connector_oauth_state: ConnectorOAuthStateTable;
  export_run: ExportRunTable;
  query_star: QueryStarTable;
  question: QuestionTable;
  dashboard: DashboardTable;
  dashboard_share: DashboardShareTable;
  schedule: ScheduleTable;
  scheduled_run: ScheduledRunTable;
  publication: PublicationTable;
  schedule_delivery: ScheduleDeliveryTable;
  knowledge_entry: KnowledgeEntryTable;
  knowledge_version: KnowledgeVersionTable;
  knowledge_suggestion: KnowledgeSuggestionTable;
  verified_query: VerifiedQueryTable;
  knowledge_learning: KnowledgeLearningTable;
  knowledge_proposal: KnowledgeProposalTable;
}

type Json<T> = ColumnType<T, string, string>;

/** A connector type Scout knows (seeded from features/connectors/catalog.json). */
export interface ConnectorCatalogTable {
  id: Generated<string>;
  key: string;
  name: string;
  description: string;
  category: string;
  icon: string;
  auth_type: 'oauth' | 'api_key' | 'basic' | 'none';
  capabilities: Json<Record<string, unknown>>;
  config_schema: Json<Record<string, unknown>>;
  auth_schema: Json<Record<string, unknown>>;
  spec_version: number;
  deprecated: boolean;
  deprecation_reason: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** A tenant's installed connector; its secrets are rows of connector_secret. */
export interface ConnectorTable {
  id: Generated<string>;
  tenant_id: string;
  catalog_id: string;
  name: string;
  status: ColumnType<'inactive' | 'active' | 'error', 'inactive' | 'active' | 'error' | undefined, 'inactive' | 'active' | 'error'>;
  config: Json<Record<string, unknown>>;
  auth: Json<Record<string, unknown>>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  last_error: string | null;
  /** The last connection test: when, whether it passed, what it said (0014). */
  last_checked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  last_check_ok: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
  last_check_message: ColumnType<string | null, string | null | undefined, string | null>;
  /** The account the credentials reached, as of the last passing test. */
  account_name: ColumnType<string | null, string | null | undefined, string | null>;
  account_url: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the stored OAuth access token expires (0016); null for types without one. */
  token_expires_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** One secret field of a connector: key-ring ciphertext bound to tenant, connector and field. */
export interface ConnectorSecretTable {
  id: Generated<string>;
  tenant_id: string;
  connector_id: string;
  field: string;
  ciphertext: string;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** An OAuth authorization a user started for a connector, until its callback (0016). */
export interface ConnectorOAuthStateTable {
  id: string;
  state_hash: string;
  user_id: string;
  tenant_id: string;
  membership_id: string;
  connector_id: string;
  provider: string;
  redirect_uri: string;
  /** Key-ring ciphertext of the PKCE verifier. */
  verifier: string;
  expires_at: Date;
  created_at: CreatedAt;
}

/** A conversation of one user about one tenant's data. */
export interface ChatThreadTable {
  id: string;
  user_id: string;
  tenant_id: string;
  title: string;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** One AI SDK UI message of a thread; `parts` exactly as streamed, tool inputs and outputs included. */
export interface ChatMessageTable {
  thread_id: string;
  id: string;
  position: number;
  role: 'user' | 'assistant';
  parts: ColumnType<unknown[], string, string>;
  metadata: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  created_at: CreatedAt;
}

/** A personal access token for MCP clients; the token itself is never stored, only its SHA-256. */
export interface McpTokenTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  /** The first characters of the token's random part, so a user can tell tokens apart. */
  token_prefix: string;
  created_at: CreatedAt;
  last_used_at: Date | null;
  revoked_at: Date | null;
  expires_at: Date | null;
}

/** What a user allowed an MCP client signed in with OAuth to use (0017). */
export interface McpOAuthGrantTable {
  id: Generated<string>;
  user_id: string;
  client_id: string;
  membership_ids: ColumnType<string[], string[], string[]>;
  may_sync: boolean;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** better-auth's OAuth provider tables (@better-auth/oauth-provider), only the columns Scout reads or clears. */
export interface OAuthClientTable {
  id: string;
  clientId: string;
  name: string | null;
  uri: string | null;
  icon: string | null;
  redirectUris: string[] | string | null;
  disabled: boolean | null;
  createdAt: Date | null;
}

export interface OAuthRefreshTokenTable {
  id: string;
  token: string;
  clientId: string;
  userId: string | null;
  revoked: Date | null;
}

export interface OAuthTokenRowTable {
  id: string;
  clientId: string;
  userId: string | null;
}

export interface OAuthConsentTable {
  id: string;
  clientId: string;
  userId: string | null;
}

/** One data-tool call (chat agent or MCP client), for the tenant's audit log. */
/** A change to a domain's members (migration 0010). */
export interface MemberChangeTable {
  id: Generated<string>;
  tenant_id: string;
  at: CreatedAt;
  actor_user_id: string | null;
  member_user_id: string | null;
  member_name: string;
  action: MemberChangeAction;
  from_role: Role | null;
  to_role: Role | null;
}

export interface ToolCallTable {
  id: Generated<string>;
  called_at: ColumnType<Date, never, never>;
  user_id: string | null;
  tenant_id: string;
  membership_id: string | null;
  channel: 'chat' | 'mcp' | 'api' | 'schedule';
  tool: string;
  arguments: ColumnType<unknown, string, string>;
  status: 'success' | 'error';
  error_code: string | null;
  rows: number | null;
  timing_ms: number;
}

/** A tenant's warehouse: one PostgreSQL schema (in the managed database) and its read-only role. */
export interface TenantSchemaTable {
  id: Generated<string>;
  tenant_id: string;
  schema_name: string;
  state: 'provisioning' | 'active' | 'materializing' | 'expired' | 'teardown';
  created_at: CreatedAt;
  last_accessed_at: ColumnType<Date, Date | undefined, Date>;
  last_sync_at: Date | null;
}

export interface MaterializationRunTable {
  id: Generated<string>;
  tenant_schema_id: string;
  pipeline: ColumnType<string, string | undefined, string>;
  state: 'started' | 'loading' | 'transforming' | 'completed' | 'failed' | 'cancelled';
  mode: 'full' | 'incremental';
  sources: ColumnType<Record<string, { rows_loaded: number; rows_total: number | null }>, string | undefined, string>;
  checkpoint: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
  error: string | null;
  requested_by: string | null;
  cancel_requested: ColumnType<boolean, boolean | undefined, boolean>;
  heartbeat_at: ColumnType<Date, Date | undefined, Date>;
  started_at: ColumnType<Date, Date | undefined, never>;
  completed_at: Date | null;
  result: ColumnType<unknown, string | null | undefined, string | null>;
  /** The warehouse_worker executing (or that executed) the run; null until a worker claims it. */
  worker_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** The pg-boss job that carries the run (null for `scout sync`, which runs in its own process). */
  job_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A live (or recently stopped) process that executes syncs; alive while it holds its advisory lock. */
export interface WarehouseWorkerTable {
  id: Generated<number>;
  instance_id: string;
  host: string;
  pid: number;
  started_at: ColumnType<Date, Date | undefined, never>;
}

type CreatedAt = ColumnType<Date, never, never>;

/** One CommCare project space on one HQ server; its warehouse lives in `schema_name`. */
export interface TenantTable {
  id: Generated<string>;
  provider: Provider;
  /** The domain name. */
  external_id: string;
  hq_base_url: string;
  schema_name: string;
  created_at: CreatedAt;
}

/** A user's access to a tenant; its id is the handle the API and UI use for the tenant. */
export interface TenantMembershipTable {
  id: Generated<string>;
  user_id: string;
  tenant_id: string;
  role: Role;
  tenant_name: string;
  last_selected_at: Date | null;
  created_at: CreatedAt;
  archived_at: Date | null;
  /** What CommCare HQ lets the member see (migration 0011). */
  hq_access: ColumnType<HqAccess, HqAccess | undefined, HqAccess>;
  hq_location_ids: ColumnType<string[], string[] | undefined, string[]>;
  hq_access_checked_at: Date | null;
}

export type HqAccess = 'unknown' | 'full' | 'restricted' | 'none';

export interface TenantCredentialTable {
  id: Generated<string>;
  membership_id: string;
  credential_type: CredentialType;
  /** Key-ring ciphertext; read only through the tenants service. */
  secret: string;
  verified_at: Date | null;
  last_error: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** better-auth's linked accounts: Scout reads only which provider accounts exist. */
export interface AccountTable {
  id: string;
  userId: string;
  providerId: string;
  accountId: string;
}

export interface UserTable {
  id: string;
  name: string;
  email: string;
}

/**
 * One row encrypted with the key ring at first start. If it no longer
 * decrypts, the configured keys lost the key that protects stored secrets,
 * and Scout refuses to start rather than fail on every secret later.
 */
export interface EncryptionKeyCheckTable {
  id: Generated<number>;
  ciphertext: string;
  created_at: ColumnType<Date, never, never>;
}

/** One export of a query's whole result (features/exports). */
export interface ExportRunTable {
  id: Generated<string>;
  request_id: string | null;
  membership_id: string;
  format: 'csv' | 'xlsx';
  state: 'running' | 'completed' | 'truncated' | 'failed' | 'cancelled';
  rows: ColumnType<string, number | undefined, number>;
  bytes: ColumnType<string, number | undefined, number>;
  message: string | null;
  started_at: ColumnType<Date, never, never>;
  finished_at: Date | null;
}

/** A query a member starred in the workbench's history. */
export interface QueryStarTable {
  id: Generated<string>;
  membership_id: string;
  sql: string;
  starred_at: ColumnType<Date, never, never>;
}

/** A saved question of a domain (migration 0013). */
export interface QuestionTable {
  id: Generated<string>;
  tenant_id: string;
  author_user_id: string | null;
  title: string;
  description: ColumnType<string, string | undefined, string>;
  sql: string;
  parameters: Json<QuestionParameter[]>;
  chart: ColumnType<ChartConfig | null, string | null, string | null>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface DashboardTable {
  id: Generated<string>;
  tenant_id: string;
  author_user_id: string | null;
  title: string;
  description: ColumnType<string, string | undefined, string>;
  tiles: Json<DashboardTile[]>;
  filters: Json<DashboardFilter[]>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface DashboardShareTable {
  id: Generated<string>;
  dashboard_id: string;
  token_hash: string;
  created_by: string | null;
  created_at: CreatedAt;
  expires_at: Date;
  revoked_at: Date | null;
}

export interface ScheduleTable {
  id: Generated<string>;
  tenant_id: string;
  target: ScheduleTarget;
  question_id: string | null;
  dashboard_id: string | null;
  membership_id: string;
  every: ScheduleEvery | null;
  at: string | null;
  day: Weekday | null;
  cron: string | null;
  timezone: string;
  after_sync: ColumnType<boolean, boolean | undefined, boolean>;
  state: ColumnType<ScheduleState, ScheduleState | undefined, ScheduleState>;
  reason: string | null;
  paused_for: 'teardown' | 'member_gone' | null;
  next_run_at: Date | null;
  last_run_at: Date | null;
  last_status: ScheduledRunStatus | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export type ScheduledRunStatus = 'completed' | 'failed' | 'partial';

export interface ScheduledRunTable {
  id: Generated<string>;
  tenant_id: string;
  schedule_id: string | null;
  question_id: string | null;
  dashboard_id: string | null;
  status: ScheduledRunStatus;
  restricted_to: string | null;
  result: ColumnType<unknown, string | null, string | null>;
  error: string | null;
  started_at: Date;
  finished_at: ColumnType<Date, Date | undefined, Date>;
}

/** Content for a connector and where it is in draft → approval → publish (migration 0015). */
export interface PublicationTable {
  id: Generated<string>;
  tenant_id: string;
  connector_id: string | null;
  title: string;
  text: string;
  chart: ColumnType<ChartSpec | null, string | null, string | null>;
  table_excerpt: ColumnType<TableExcerpt | null, string | null, string | null>;
  /** `publishing`: an attempt is under way (or was cut off: the next one checks for its post first). */
  state: PublicationState | 'publishing';
  source_kind: PublicationSourceKind;
  source_id: string | null;
  external_id: string | null;
  external_url: string | null;
  error: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  attempt_text_sha256: string | null;
  attempt_started_at: Date | null;
  drafted_by: string | null;
  via_agent: ColumnType<boolean, boolean | undefined, boolean>;
  approved_by: string | null;
  approved_at: Date | null;
  published_at: Date | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ScheduleDeliveryTable {
  schedule_id: string;
  connector_id: string;
  auto_publish: ColumnType<boolean, boolean | undefined, boolean>;
  set_by: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** One piece of a domain's knowledge (features/knowledge); `search` (a generated tsvector) is read through SQL only. */
export interface KnowledgeEntryTable {
  id: Generated<string>;
  tenant_id: string;
  kind: 'entity' | 'relationship' | 'measure' | 'dimension' | 'glossary' | 'table' | 'column' | 'value';
  key: string;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  table_name: string | null;
  column_name: string | null;
  value: string | null;
  sql: string | null;
  details: Json<Record<string, unknown>>;
  source: 'proposed' | 'person';
  version: ColumnType<number, number | undefined, number>;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  deleted_at: Date | null;
}

/** Every version of an entry, the state after each change. */
export interface KnowledgeVersionTable {
  id: Generated<string>;
  entry_id: string;
  tenant_id: string;
  version: number;
  change: 'created' | 'updated' | 'deleted';
  snapshot: Json<Record<string, unknown>>;
  changed_by: string | null;
  approved_by: string | null;
  suggestion_id: string | null;
  changed_at: CreatedAt;
}

export interface KnowledgeSuggestionTable {
  id: Generated<string>;
  tenant_id: string;
  change: Json<Record<string, unknown>>;
  note: ColumnType<string, string | undefined, string>;
  status: ColumnType<'pending' | 'accepted' | 'rejected', 'pending' | undefined, 'accepted' | 'rejected'>;
  suggested_by: string | null;
  suggested_at: CreatedAt;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  review_note: string | null;
  entry_id: string | null;
}

export interface VerifiedQueryTable {
  id: Generated<string>;
  tenant_id: string;
  question: string;
  sql: string;
  answer_summary: ColumnType<string, string | undefined, string>;
  verified_by: string | null;
  created_at: CreatedAt;
}

export interface KnowledgeLearningTable {
  id: Generated<string>;
  tenant_id: string;
  question: string;
  original_sql: string;
  corrected_sql: string | null;
  correct_answer: string | null;
  note: ColumnType<string, string | undefined, string>;
  status: ColumnType<'pending' | 'accepted' | 'rejected', 'pending' | undefined, 'accepted' | 'rejected'>;
  submitted_by: string | null;
  submitted_at: CreatedAt;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  review_note: string | null;
}

export interface KnowledgeProposalTable {
  tenant_id: string;
  proposed_for_sync_at: Date | null;
  proposed_at: ColumnType<Date, Date | undefined, Date>;
}
