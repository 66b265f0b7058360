import type { MemberChange, MemberSummary, MembersResponse } from '../../../shared/members';
import { refuseRemoval, refuseRoleChange } from '../../platform/permissions';
import type { Membership } from '../tenants/scope';
import type { MemberChangeRow, MemberRow } from './service';

/** The only place a member becomes JSON: each carries what the caller may do to them, from the same rules the server enforces. */
export function presentMembers(actor: Membership, rows: { members: MemberRow[]; changes?: MemberChangeRow[] }): MembersResponse {
  const me = rows.members.find((m) => m.membership_id === actor.membership_id) ?? actor;
  return {
    members: rows.members.map((row) => presentMember(me, row, rows.members.length)),
    ...(rows.changes ? { changes: rows.changes.map(presentChange) } : {}),
  };
}

function presentMember(me: { membership_id: string; role: MemberRow['role'] }, row: MemberRow, memberCount: number): MemberSummary {
  const lower = row.role === 'analyst' ? 'admin' : 'analyst';
  return {
    id: row.membership_id,
    name: row.name,
    email: row.email,
    role: row.role,
    joined_at: row.joined_at.toISOString(),
    last_active_at: row.last_active_at?.toISOString() ?? null,
    you: row.membership_id === me.membership_id,
    can: {
      change_role: !refuseRoleChange(me, row, lower),
      make_owner: row.membership_id !== me.membership_id && !refuseRoleChange(me, row, 'owner'),
      remove: !refuseRemoval(me, row, memberCount),
    },
  };
}

function presentChange(row: MemberChangeRow): MemberChange {
  return { at: row.at.toISOString(), actor: row.actor, member: row.member, action: row.action, from_role: row.from_role, to_role: row.to_role };
}
