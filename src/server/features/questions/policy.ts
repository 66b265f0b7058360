import { can } from '../../platform/permissions';
import type { MembershipRow } from '../tenants/repo';

/**
 * Beyond the permission table: a question's or dashboard's author edits it,
 * and so do the domain's owners and admins (questions.manage).
 */
export function canEdit(membership: Pick<MembershipRow, 'role' | 'user_id'>, authorUserId: string | null): boolean {
  return can(membership, 'questions.manage') || (authorUserId !== null && authorUserId === membership.user_id && can(membership, 'questions.create'));
}
