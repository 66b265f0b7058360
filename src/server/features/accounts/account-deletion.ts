import { sql, type Kysely, type Transaction } from 'kysely';
import { ERROR_CODES } from '../../../shared/errors';
import type { AccountDomain, DomainOnDelete } from '../../../shared/accounts';
import type { Role } from '../../../shared/tenants';
import type { Database } from '../../platform/db/schema';
import { AppError, unauthenticated } from '../../platform/http/errors';
import type { Logger } from '../../platform/logger';
import { ACTIVE_STATES } from '../warehouse/runs';
import type { SchemaManager } from '../warehouse/schema-manager';

export const ACCOUNT_ERROR_CODES = {
  lastOwner: 'LAST_OWNER',
  syncRunning: 'SYNC_RUNNING',
} as const;

/** One of the user's memberships, with who else uses its tenant. */
export interface MembershipImpact {
  membershipId: string;
  tenantId: string;
  tenantName: string;
  domain: string;
  schemaName: string;
  role: Role;
  archived: boolean;
  /** Other users with a live (not archived) membership of the tenant. */
  otherMembers: number;
  otherOwners: number;
}

/**
 * What deleting the account does to a tenant. Only a live owner membership
 * can block: an archived one already lost access, and admins and analysts
 * leave nothing without an owner that wasn't already.
 */
export function onDelete(impact: MembershipImpact): DomainOnDelete {
  if (impact.otherMembers === 0) return 'removed';
  if (!impact.archived && impact.role === 'owner' && impact.otherOwners === 0) return 'blocks';
  return 'kept';
}

type Db = Kysely<Database> | Transaction<Database>;

/** Every membership of the user (archived ones too: they are deleted as well), with the other members of each tenant. */
async function membershipImpacts(db: Db, userId: string): Promise<MembershipImpact[]> {
  const rows = await db
    .selectFrom('tenant_membership as m')
    .innerJoin('tenant as t', 't.id', 'm.tenant_id')
    .select((eb) => [
      'm.id as membershipId',
      't.id as tenantId',
      'm.tenant_name as tenantName',
      't.external_id as domain',
      't.schema_name as schemaName',
      'm.role',
      'm.archived_at',
      eb
        .selectFrom('tenant_membership as o')
        .select((o) => o.fn.countAll<string>().as('n'))
        .whereRef('o.tenant_id', '=', 't.id')
        .where('o.user_id', '<>', userId)
        .where('o.archived_at', 'is', null)
        .as('otherMembers'),
      eb
        .selectFrom('tenant_membership as o')
        .select((o) => o.fn.countAll<string>().as('n'))
        .whereRef('o.tenant_id', '=', 't.id')
        .where('o.user_id', '<>', userId)
        .where('o.archived_at', 'is', null)
        .where('o.role', '=', 'owner')
        .as('otherOwners'),
    ])
    .where('m.user_id', '=', userId)
    .orderBy('m.tenant_name')
    .execute();
  return rows.map((row) => ({
    membershipId: row.membershipId,
    tenantId: row.tenantId,
    tenantName: row.tenantName,
    domain: row.domain,
    schemaName: row.schemaName,
    role: row.role,
    archived: row.archived_at !== null,
    otherMembers: Number(row.otherMembers ?? 0),
    otherOwners: Number(row.otherOwners ?? 0),
  }));
}

/** The user's live domains and what deleting the account would do to each, for the Account page. */
export async function accountDomains(db: Kysely<Database>, userId: string): Promise<AccountDomain[]> {
  return (await membershipImpacts(db, userId))
    .filter((impact) => !impact.archived)
    .map((impact) => ({
      membership_id: impact.membershipId,
      name: impact.tenantName,
      domain: impact.domain,
      role: impact.role,
      other_members: impact.otherMembers,
      on_delete: onDelete(impact),
    }));
}

export interface AccountDeletionDeps {
  db: Kysely<Database>;
  /** Drops a removed domain's warehouse schema and read-only role in the managed database. */
  schemas: Pick<SchemaManager, 'teardown'>;
  logger: Logger;
}

/**
 * Deletes the user and everything that was only theirs, or refuses with
 * nothing changed. Deleting the `user` row cascades to their sessions, linked
 * accounts (OAuth tokens), memberships and so credentials, MCP tokens and chat
 * threads; audit records keep the call with the user cleared. A tenant nobody
 * else uses goes too (cascading to its warehouse record, runs, chats and
 * connectors), and its warehouse schema is dropped.
 */
export async function deleteAccount(deps: AccountDeletionDeps, userId: string): Promise<{ removedDomains: string[] }> {
  const removed = await deps.db.transaction().execute(async (trx) => {
    // Waiting on another request's locks is bounded: past it the person is asked to try again, nothing changed.
    await sql`SET LOCAL lock_timeout = '15s'`.execute(trx);
    // Two deletions of one account queue here instead of racing; the second finds nobody to delete.
    const user = await trx.selectFrom('user').select('id').where('id', '=', userId).forUpdate().executeTakeFirst();
    if (!user) throw unauthenticated();
    // Connecting a domain locks its tenant row (tenants/repo lockTenant), so nobody can join a tenant while
    // it is being judged unused and deleted. Locked in id order so two deletions can't deadlock.
    const tenantIds = (await trx.selectFrom('tenant_membership').select('tenant_id').where('user_id', '=', userId).execute()).map((row) => row.tenant_id);
    if (tenantIds.length > 0) {
      await trx.selectFrom('tenant').select('id').where('id', 'in', tenantIds).orderBy('id').forUpdate().execute();
      // Role changes and removals lock a domain's memberships (members/service): none can change who owns
      // a domain between judging it and deleting. Id order, like theirs, so neither waits on the other in a circle.
      await trx.selectFrom('tenant_membership').select('id').where('tenant_id', 'in', tenantIds).orderBy('id').forUpdate().execute();
    }
    const impacts = await membershipImpacts(trx, userId);

    const blocking = impacts.filter((impact) => onDelete(impact) === 'blocks');
    if (blocking.length > 0) throw lastOwnerError(blocking);

    const unused = impacts.filter((impact) => onDelete(impact) === 'removed');
    await refuseWhileSyncing(trx, unused);

    if (unused.length > 0) await trx.deleteFrom('tenant').where('id', 'in', unused.map((impact) => impact.tenantId)).execute();
    await trx.deleteFrom('user').where('id', '=', userId).execute();

    // Dropped before the commit, not after: if a drop fails, the rollback keeps the account and its domains
    // (a warehouse is a copy of CommCare data that the next sync rebuilds), whereas a schema left behind after
    // the commit would be the user's data kept with nothing pointing at it.
    for (const impact of unused) await deps.schemas.teardown(impact.schemaName);
    return unused.map((impact) => impact.domain);
  }).catch((error: unknown) => {
    if (isLockTimeout(error)) throw new AppError(503, ERROR_CODES.unavailable, 'Your account is busy with another change right now; nothing was deleted. Try again in a moment.');
    throw error;
  });
  deps.logger.info({ userId, removedDomains: removed.length }, 'account deleted');
  return { removedDomains: removed };
}

/** PostgreSQL's lock_not_available: a lock wait ran past lock_timeout. */
function isLockTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '55P03';
}

/** A sync writing into a schema that is about to be dropped would fail halfway or recreate it; the user waits or cancels. */
async function refuseWhileSyncing(trx: Transaction<Database>, unused: MembershipImpact[]): Promise<void> {
  if (unused.length === 0) return;
  const syncing = await trx
    .selectFrom('materialization_run as r')
    .innerJoin('tenant_schema as s', 's.id', 'r.tenant_schema_id')
    .select('s.tenant_id')
    .where('s.tenant_id', 'in', unused.map((impact) => impact.tenantId))
    .where('r.state', 'in', ACTIVE_STATES)
    .execute();
  if (syncing.length === 0) return;
  const names = listOf(unused.filter((impact) => syncing.some((row) => row.tenant_id === impact.tenantId)).map(label));
  throw new AppError(
    409,
    ACCOUNT_ERROR_CODES.syncRunning,
    `A sync of ${names} is running, and the domain is deleted with your account. Wait for it to finish or cancel it on the Data page, then try again.`,
  );
}

function lastOwnerError(blocking: MembershipImpact[]): AppError {
  const names = listOf(blocking.map(label));
  const which = blocking.length === 1 ? 'it' : 'each of them';
  return new AppError(
    409,
    ACCOUNT_ERROR_CODES.lastOwner,
    `You are the only owner of ${names}, which other people use. To delete your account, make another member owner first (Settings → Members), or remove the other members from ${which}.`,
  );
}

/** The user's label for the domain, with the domain's own name when they differ. */
function label(impact: MembershipImpact): string {
  return impact.tenantName === impact.domain ? `“${impact.tenantName}”` : `“${impact.tenantName}” (${impact.domain})`;
}

/** "A", "A and B", "A, B and C". */
function listOf(labels: string[]): string {
  return labels.length <= 1 ? (labels[0] ?? '') : `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`;
}
