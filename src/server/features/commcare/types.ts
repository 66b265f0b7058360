/** Records as CommCare HQ's REST API returns them (only the fields Scout relies on are typed strictly). */

export interface CommCareIdentity {
  id: string;
  username: string;
  first_name: string;
  last_name: string;
  email: string;
}

export interface CommCareDomainMembership {
  domain_name: string;
  project_name: string;
}

export interface CaseIndexV2 {
  case_id: string;
  case_type: string;
  relationship: string;
}

/** Case API v2 (`/api/case/v2/`). */
export interface CaseV2 {
  domain: string;
  case_id: string;
  case_type: string;
  case_name: string | null;
  external_id: string | null;
  owner_id: string | null;
  date_opened: string | null;
  last_modified: string | null;
  server_last_modified: string | null;
  indexed_on: string;
  closed: boolean;
  date_closed: string | null;
  properties: Record<string, unknown>;
  indices: Record<string, CaseIndexV2>;
}

/** Case API v0.5 (`/api/v0.5/case/`). */
export interface CaseV05 {
  case_id: string;
  id: string;
  domain: string;
  closed: boolean;
  date_closed: string | null;
  date_modified: string | null;
  indexed_on: string;
  indices: Record<string, { case_id: string; case_type: string; relationship?: string }>;
  opened_by: string | null;
  properties: Record<string, unknown> & { case_type?: string; case_name?: string; owner_id?: string };
  resource_uri: string;
  server_date_modified: string | null;
  server_date_opened: string | null;
  user_id: string | null;
  xform_ids: string[];
}

/** Form API v0.5 (`/api/v0.5/form/`). */
export interface FormV05 {
  id: string;
  domain: string;
  app_id: string | null;
  build_id: string | null;
  archived: boolean;
  form: Record<string, unknown>;
  indexed_on: string;
  received_on: string;
  server_modified_on: string | null;
  metadata: Record<string, unknown>;
  resource_uri: string;
  type: string;
  uiversion: string;
  version: string;
}

export interface ApplicationForm {
  xmlns: string;
  name: Record<string, string> | string;
  unique_id: string;
  questions?: Array<Record<string, unknown>>;
}

export interface ApplicationModule {
  name: Record<string, string> | string;
  case_type: string;
  case_properties?: string[];
  unique_id: string;
  forms: ApplicationForm[];
}

export interface Application {
  id: string;
  name: string;
  version?: number;
  modules: ApplicationModule[];
  [key: string]: unknown;
}

/** One page of a streamed listing, with progress. */
export interface Page<T> {
  records: T[];
  /** Records yielded so far, this page included. */
  loaded: number;
  /** Records matching the query, when HQ says. */
  total: number | undefined;
  /** Resume point for the next incremental load: the largest `indexed_on` seen so far. */
  checkpoint: string | undefined;
}

/** A mobile worker: v0_5.CommCareUserResource. */
export interface MobileWorkerV05 {
  id: string;
  username: string;
  first_name?: string;
  last_name?: string;
  email?: string;
  groups?: string[];
  /** Location ids the worker is assigned to; `primary_location` is one of them. */
  locations?: string[];
  primary_location?: string | null;
  user_data?: Record<string, unknown>;
  is_active?: boolean;
}

/** A web user: v0_1.WebUserResource (only for members who may edit web users). */
export interface WebUserV05 {
  id: string;
  username: string;
  first_name?: string;
  last_name?: string;
  email?: string;
  role?: string | null;
  is_admin?: boolean;
  permissions?: Record<string, unknown>;
}

/** v0_5.GroupResource. */
export interface GroupV05 {
  id: string;
  name: string;
  case_sharing?: boolean;
  reporting?: boolean;
  users?: string[];
}

/** locations v0_6 LocationResource (`/api/location/v2/`); a root's `parent_location_id` is ''. */
export interface LocationV2 {
  location_id: string;
  name: string;
  site_code: string;
  location_type_code: string;
  location_type_name: string;
  parent_location_id: string | null;
  latitude: string | null;
  longitude: string | null;
  last_modified: string | null;
  location_data?: Record<string, unknown>;
}

/** v0_5.LocationTypeResource; `parent` is the parent type's resource URI. */
export interface LocationTypeV05 {
  id: number;
  code: string;
  name: string;
  parent: string | null;
  resource_uri: string;
}

/** v0_5 lookup_table (a fixture data type). */
export interface LookupTableV05 {
  id: string;
  tag: string;
  fields: Array<{ field_name: string }>;
}

/** v0_5 lookup_table_item: each field a list of values (the first one without attributes is the value). */
export interface LookupTableItemV05 {
  id: string;
  data_type_id: string;
  sort_key?: number;
  fields: Record<string, { field_list: Array<{ field_value: string; properties?: Record<string, string> }> }>;
}
