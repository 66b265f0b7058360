import { z } from 'zod';
import { ROLES, type Role } from './tenants';

/** `PATCH /api/tenants/<membership id>/members/<member id>`: a new role; `owner` hands ownership on (the old owner becomes admin). */
export const updateMemberSchema = z.strictObject({
  role: z.enum(ROLES, { error: 'Choose owner, admin or analyst' }),
});
export type UpdateMemberInput = z.infer<typeof updateMemberSchema>;

/** One member of a domain, as its members see them. `id` is their membership id. */
export interface MemberSummary {
  id: string;
  name: string;
  email: string;
  role: Role;
  joined_at: string;
  /** Their last question, query or visit in this domain. */
  last_active_at: string | null;
  you: boolean;
  /** What the caller may do to this member (the server's rules). */
  can: { change_role: boolean; make_owner: boolean; remove: boolean };
}

/** `owner_succeeded`: Scout made the member owner because the domain's last owner lost access to it. */
export type MemberChangeAction = 'role_changed' | 'ownership_transferred' | 'removed' | 'left' | 'owner_succeeded';

/** One change to a domain's members, for its owner and admins. */
export interface MemberChange {
  at: string;
  /** Who made it; null when their account is gone. */
  actor: string | null;
  member: string;
  action: MemberChangeAction;
  from_role: Role | null;
  to_role: Role | null;
}

/** `GET /api/tenants/<membership id>/members`. `changes` only for those who manage members. */
export interface MembersResponse {
  members: MemberSummary[];
  changes?: MemberChange[];
}
