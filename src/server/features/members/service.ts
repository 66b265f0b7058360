import { sql, type Kysely, type Transaction } from 'kysely';
import type { MemberChangeAction } from '../../../shared/members';
import type { Role } from '../../../shared/tenants';
import type { Database } from '../../platform/db/schema';
import { AppError, notFound } from '../../platform/http/errors';
import { ERROR_CODES } from '../../../shared/errors';
import { authorize, can, refuseRemoval, refuseRoleChange, type Refusal } from '../../platform/permissions';
import { isUuid } from '../tenants/repo';
import type { Membership } from '../tenants/scope';

export interface MemberRow {
  membership_id: string;
  user_id: string;
  name: string;
  email: string;
  role: Role;
  joined_at: Date;
  last_active_at: Date | null;
}

export interface MemberChangeRow {
  at: Date;
  actor: string | null;
  member: string;
  action: MemberChangeAction;
  from_role: Role | null;
  to_role: Role | null;
}

type Db = Kysely<Database> | Transaction<Database>;

/**
 * A domain's members: who they are, their roles, and the changes to them.
 * Every change runs in one transaction with the domain's memberships locked,
 * so two owners' moves can't interleave, and is recorded in member_change.
 */
export class MemberService {
  constructor(private readonly db: Kysely<Database>) {}

  async list(membership: Membership): Promise<{ members: MemberRow[]; changes?: MemberChangeRow[] }> {
    authorize(membership, 'members.view');
    const members = await this.members(this.db, membership.tenant_id);
    if (!can(membership, 'members.manage')) return { members };
    return { members, changes: await this.changes(membership.tenant_id) };
  }

  /** Sets a member's role; making someone else owner hands ownership on, and the caller becomes admin. */
  async changeRole(actor: Membership, memberId: string, role: Role): Promise<MemberRow[]> {
    return this.db.transaction().execute(async (trx) => {
      const { me, target } = await this.lockPair(trx, actor, memberId);
      if (target.role === role) return this.members(trx, actor.tenant_id);
      refuse(refuseRoleChange(me, target, role));
      await trx.updateTable('tenant_membership').set({ role }).where('id', '=', target.membership_id).execute();
      if (role === 'owner') {
        await trx.updateTable('tenant_membership').set({ role: 'admin' }).where('id', '=', me.membership_id).execute();
        await this.record(trx, actor, target, 'ownership_transferred', target.role, 'owner');
      } else {
        await this.record(trx, actor, target, 'role_changed', target.role, role);
      }
      return this.members(trx, actor.tenant_id);
    });
  }

  /** Removes a member (or, with their own id, lets the caller leave). Their access ends with the row. */
  async remove(actor: Membership, memberId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const { me, target, members } = await this.lockPair(trx, actor, memberId);
      refuse(refuseRemoval(me, target, members.length));
      await this.record(trx, actor, target, me.membership_id === target.membership_id ? 'left' : 'removed', target.role, null);
      await trx.deleteFrom('tenant_membership').where('id', '=', target.membership_id).execute();
    });
  }

  /** The caller and the target as they are now, locked with every membership of the domain. */
  private async lockPair(trx: Transaction<Database>, actor: Membership, memberId: string): Promise<{ me: MemberRow; target: MemberRow; members: MemberRow[] }> {
    await sql`SELECT id FROM tenant_membership WHERE tenant_id = ${actor.tenant_id} AND archived_at IS NULL ORDER BY id FOR UPDATE`.execute(trx);
    const members = await this.members(trx, actor.tenant_id);
    const me = members.find((m) => m.membership_id === actor.membership_id);
    const target = isUuid(memberId) ? members.find((m) => m.membership_id === memberId) : undefined;
    // The caller was removed a moment ago: as if the domain were not theirs.
    if (!me) throw notFound('This domain');
    if (!target) throw notFound('This member');
    return { me, target, members };
  }

  private async record(trx: Transaction<Database>, actor: Membership, target: MemberRow, action: MemberChangeRow['action'], from: Role | null, to: Role | null) {
    await trx
      .insertInto('member_change')
      .values({ tenant_id: actor.tenant_id, actor_user_id: actor.user_id, member_user_id: target.user_id, member_name: target.name, action, from_role: from, to_role: to })
      .execute();
  }

  private members(db: Db, tenantId: string): Promise<MemberRow[]> {
    return db
      .selectFrom('tenant_membership as m')
      .innerJoin('user as u', 'u.id', 'm.user_id')
      .select([
        'm.id as membership_id',
        'm.user_id',
        'u.name',
        'u.email',
        'm.role',
        'm.created_at as joined_at',
        sql<Date | null>`greatest(m.last_selected_at, (SELECT max(c.called_at) FROM tool_call c WHERE c.membership_id = m.id))`.as('last_active_at'),
      ])
      .where('m.tenant_id', '=', tenantId)
      .where('m.archived_at', 'is', null)
      .orderBy(sql`CASE m.role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END`)
      .orderBy('u.name')
      .execute();
  }

  private changes(tenantId: string): Promise<MemberChangeRow[]> {
    return this.db
      .selectFrom('member_change as c')
      .leftJoin('user as a', 'a.id', 'c.actor_user_id')
      .select(['c.at', 'a.name as actor', 'c.member_name as member', 'c.action', 'c.from_role', 'c.to_role'])
      .where('c.tenant_id', '=', tenantId)
      .orderBy('c.at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(50)
      .execute();
  }
}

function refuse(refusal: Refusal | undefined): void {
  if (refusal) throw new AppError(refusal.status, refusal.status === 409 ? ERROR_CODES.conflict : ERROR_CODES.forbidden, refusal.message);
}
