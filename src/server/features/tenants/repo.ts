import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../platform/db/schema';

type Db = Kysely<Database> | Transaction<Database>;

/** A membership joined with its tenant and credential metadata (never the secret). */
export interface MembershipRow {
  membership_id: string;
  user_id: string;
  role: 'owner' | 'admin' | 'analyst';
  tenant_name: string;
  last_selected_at: Date | null;
  archived_at: Date | null;
  tenant_id: string;
  provider: 'commcare' | 'commcare_connect';
  domain: string;
  hq_base_url: string;
  schema_name: string;
  credential_id: string | null;
  credential_type: 'api_key' | 'oauth' | null;
  verified_at: Date | null;
  last_error: string | null;
  /** What CommCare HQ lets this member see of the domain, as last checked (access.ts). */
  hq_access: 'unknown' | 'full' | 'restricted' | 'none';
  hq_location_ids: string[];
  hq_access_checked_at: Date | null;
}

function memberships(db: Db) {
  return db
    .selectFrom('tenant_membership as m')
    .innerJoin('tenant as t', 't.id', 'm.tenant_id')
    .leftJoin('tenant_credential as c', 'c.membership_id', 'm.id')
    .select([
      'm.id as membership_id',
      'm.user_id',
      'm.role',
      'm.tenant_name',
      'm.last_selected_at',
      'm.archived_at',
      'm.hq_access',
      'm.hq_location_ids',
      'm.hq_access_checked_at',
      't.id as tenant_id',
      't.provider',
      't.external_id as domain',
      't.hq_base_url',
      't.schema_name',
      'c.id as credential_id',
      'c.credential_type',
      'c.verified_at',
      'c.last_error',
    ]);
}

/** The user's active memberships, most recently selected first. */
export function listMemberships(db: Db, userId: string): Promise<MembershipRow[]> {
  return memberships(db)
    .where('m.user_id', '=', userId)
    .where('m.archived_at', 'is', null)
    .orderBy('m.last_selected_at', (ob) => ob.desc().nullsLast())
    .orderBy('m.tenant_name')
    .orderBy('m.created_at')
    .execute();
}

/** A membership of this user, or undefined: another user's id looks exactly like a missing one. */
export async function findMembership(db: Db, userId: string, membershipId: string): Promise<MembershipRow | undefined> {
  if (!isUuid(membershipId)) return undefined;
  return memberships(db).where('m.id', '=', membershipId).where('m.user_id', '=', userId).where('m.archived_at', 'is', null).executeTakeFirst();
}

/** An active membership by id, whoever holds it (never for answering a request: use findMembership). */
export async function findActiveMembership(db: Db, membershipId: string): Promise<MembershipRow | undefined> {
  if (!isUuid(membershipId)) return undefined;
  return memberships(db).where('m.id', '=', membershipId).where('m.archived_at', 'is', null).executeTakeFirst();
}

/** Every active membership of a tenant (its database id), owners first, then by how long they have been members. */
export function activeMembershipsOf(db: Db, tenantId: string): Promise<MembershipRow[]> {
  return memberships(db)
    .where('m.tenant_id', '=', tenantId)
    .where('m.archived_at', 'is', null)
    .orderBy(sql`CASE m.role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END`)
    .orderBy('m.created_at')
    .execute();
}

/** A domain's active member with the strongest role (owners, then admins), longest-standing first. */
export function findMemberForSync(db: Db, domain: string, hqBaseUrl: string | undefined): Promise<MembershipRow | undefined> {
  let query = memberships(db)
    .where('t.external_id', '=', domain)
    .where('m.archived_at', 'is', null)
    .orderBy(sql`CASE m.role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END`)
    .orderBy('m.created_at');
  if (hqBaseUrl !== undefined) query = query.where('t.hq_base_url', '=', hqBaseUrl);
  return query.executeTakeFirst();
}

export async function findMembershipIncludingArchived(db: Db, userId: string, tenantId: string): Promise<MembershipRow | undefined> {
  return memberships(db).where('m.user_id', '=', userId).where('m.tenant_id', '=', tenantId).executeTakeFirst();
}

/** Finds or creates the tenant and locks its row, so concurrent first connections agree on one owner. */
export async function lockTenant(
  trx: Transaction<Database>,
  tenant: { provider: 'commcare' | 'commcare_connect'; domain: string; hqBaseUrl: string; schemaName: string },
): Promise<{ id: string; activeMembers: number }> {
  await trx
    .insertInto('tenant')
    .values({ provider: tenant.provider, external_id: tenant.domain, hq_base_url: tenant.hqBaseUrl, schema_name: tenant.schemaName })
    .onConflict((oc) => oc.columns(['provider', 'hq_base_url', 'external_id']).doNothing())
    .execute();
  const row = await trx
    .selectFrom('tenant')
    .select('id')
    .where('provider', '=', tenant.provider)
    .where('hq_base_url', '=', tenant.hqBaseUrl)
    .where('external_id', '=', tenant.domain)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const members = await trx
    .selectFrom('tenant_membership')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', row.id)
    .where('archived_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { id: row.id, activeMembers: Number(members.n) };
}

/**
 * After owners' memberships ended without a hand-over (their CommCare access
 * went, or they unlinked CommCare): a domain left with members but no owner
 * gets one, its longest-standing admin (or, without admins, member), and the
 * change is recorded for the Members page.
 */
export async function succeedOwners(trx: Transaction<Database>, tenantIds: string[]): Promise<void> {
  for (const tenantId of new Set(tenantIds)) {
    const members = await trx
      .selectFrom('tenant_membership as m')
      .innerJoin('user as u', 'u.id', 'm.user_id')
      .select(['m.id', 'm.role', 'm.user_id', 'u.name'])
      .where('m.tenant_id', '=', tenantId)
      .where('m.archived_at', 'is', null)
      .orderBy(sql`CASE m.role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END`)
      .orderBy('m.created_at')
      .forUpdate()
      .execute();
    const heir = members[0];
    if (!heir || heir.role === 'owner') continue;
    await trx.updateTable('tenant_membership').set({ role: 'owner' }).where('id', '=', heir.id).execute();
    await trx
      .insertInto('member_change')
      .values({ tenant_id: tenantId, actor_user_id: null, member_user_id: heir.user_id, member_name: heir.name, action: 'owner_succeeded', from_role: heir.role, to_role: 'owner' })
      .execute();
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
