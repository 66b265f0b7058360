import type { Selectable } from 'kysely';
import type { Publication, PublicationState } from '../../../shared/publications';
import type { PublicationTable } from '../../platform/db/schema';
import { can } from '../../platform/permissions';
import type { MembershipRow } from '../tenants/repo';

export type PublicationRow = Selectable<PublicationTable> & {
  connector_name: string | null;
  catalog_key: string | null;
  drafted_by_name: string | null;
  approved_by_name: string | null;
};

/** Still changeable: not on its way out, not out. */
export const EDITABLE_STATES: ReadonlySet<string> = new Set(['draft', 'pending_approval', 'failed', 'rejected']);

export function presentPublication(row: PublicationRow, viewer: Pick<MembershipRow, 'role' | 'user_id'>): Publication {
  const mine = row.drafted_by !== null && row.drafted_by === viewer.user_id;
  // An attempt under way shows as approved: it is, and it is being published.
  const state: PublicationState = row.state === 'publishing' ? 'approved' : row.state;
  return {
    id: row.id,
    connector: row.connector_id && row.catalog_key ? { id: row.connector_id, name: row.connector_name ?? '', catalog_key: row.catalog_key } : null,
    title: row.title,
    text: row.text,
    chart: row.chart,
    table: row.table_excerpt,
    state,
    source: { kind: row.source_kind, id: row.source_id },
    external_id: row.external_id,
    external_url: row.external_url,
    error: row.error,
    attempts: row.attempts,
    drafted_by: { user_id: row.drafted_by, name: row.drafted_by_name, via_agent: row.via_agent },
    approved_by: row.approved_by ? { user_id: row.approved_by, name: row.approved_by_name } : null,
    approved_at: row.approved_at?.toISOString() ?? null,
    published_at: row.published_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    can: {
      edit: EDITABLE_STATES.has(row.state) && (mine || can(viewer, 'publications.approve')),
      approve: (row.state === 'pending_approval' || row.state === 'failed') && can(viewer, 'publications.approve'),
    },
  };
}
