import type { Migration } from 'kysely';
import * as m0001 from './0001_encryption_key_check';
import * as m0002 from './0002_tenants';
import * as m0003 from './0003_warehouse';
import * as m0004 from './0004_tool_calls';
import * as m0005 from './0005_mcp_tokens';
import * as m0006 from './0006_chat';
import * as m0007 from './0007_connectors';
import * as m0008 from './0008_warehouse_workers';
import * as m0009 from './0009_rate_limits';
import * as m0010 from './0010_member_changes';
import * as m0011 from './0011_member_access';
import * as m0012 from './0012_workbench';
import * as m0013 from './0013_questions';
import * as m0014 from './0014_connector_checks';
import * as m0016 from './0016_connector_oauth';
import * as m0017 from './0017_mcp_oauth_grants';
import * as m0015 from './0015_publications';
import * as m0018 from './0018_knowledge';

/** Scout's migrations in order. Add new ones at the end; never edit a released one. */
export const migrations: Record<string, Migration> = {
  '0001_encryption_key_check': m0001,
  '0002_tenants': m0002,
  '0003_warehouse': m0003,
  '0004_tool_calls': m0004,
  '0005_mcp_tokens': m0005,
  '0006_chat': m0006,
  '0007_connectors': m0007,
  '0008_warehouse_workers': m0008,
  '0009_rate_limits': m0009,
  '0010_member_changes': m0010,
  '0011_member_access': m0011,
  '0012_workbench': m0012,
  '0013_questions': m0013,
  '0014_connector_checks': m0014,
  '0015_publications': m0015,
  '0016_connector_oauth': m0016,
  '0017_mcp_oauth_grants': m0017,
  '0018_knowledge': m0018,
};
