import type { Kysely } from 'kysely';
import type { Database, HqAccess } from '../../platform/db/schema';
import type { Logger } from '../../platform/logger';
import { CommCareAuthError, CommCarePermissionError, type CommCareClient } from '../commcare';
import type { MembershipRow } from './repo';
import type { TenantService } from './service';

/** How long a member's access, as HQ last described it, is trusted before Scout asks again. */
export const ACCESS_TTL_MS = 60 * 60 * 1000;
/** How soon an `unknown` answer (or none yet) is asked again. */
const UNKNOWN_RETRY_MS = 60 * 1000;

export interface AccessReport {
  access: Exclude<HqAccess, 'unknown'> | 'unknown';
  /** For `restricted`: the locations HQ assigned the member (their subtrees are what they see). */
  locationIds: string[];
}

/**
 * What CommCare HQ lets one member see of their domain, asked with the
 * member's own credential (an API key cannot use HQ's SSO resource, which
 * needs a password):
 * - the case API refuses them: no data at all (`none`);
 * - HQ's location API shows a location-restricted user only their assigned
 *   locations and those below them, so locations whose parent it does not
 *   show are the assigned ones (`restricted`); a user who sees the roots
 *   sees the whole domain (`full`);
 * - a role that may not list locations leaves it open (`unknown`): Scout
 *   then shows nothing rather than guess.
 */
export async function askHqAccess(client: CommCareClient, domain: string, signal?: AbortSignal): Promise<AccessReport> {
  try {
    await client.verifyDomainAccess(domain, signal);
  } catch (error) {
    if (error instanceof CommCarePermissionError || error instanceof CommCareAuthError) return { access: 'none', locationIds: [] };
    throw error;
  }
  let locations;
  try {
    locations = await client.locations(domain, signal);
  } catch (error) {
    if (error instanceof CommCarePermissionError) return { access: 'unknown', locationIds: [] };
    throw error;
  }
  const visible = new Set(locations.map((l) => l.location_id));
  const assigned = locations.filter((l) => l.parent_location_id && !visible.has(l.parent_location_id)).map((l) => l.location_id);
  return assigned.length === 0 ? { access: 'full', locationIds: [] } : { access: 'restricted', locationIds: assigned.sort() };
}

/** Keeps each membership's access as HQ describes it: asked at connect, on every sync, and when over an hour old. */
export class MemberAccess {
  constructor(private readonly deps: { db: Kysely<Database>; tenants: TenantService; logger: Logger }) {}

  /** Asks HQ now and stores the answer; returns the membership as it is after. On HQ failure the last answer stands. */
  async refresh(membership: MembershipRow, signal?: AbortSignal): Promise<MembershipRow> {
    let report: AccessReport;
    try {
      const client = this.deps.tenants.clientFor(membership.hq_base_url, await this.deps.tenants.credentialsFor(membership));
      report = await askHqAccess(client, membership.domain, signal);
    } catch (error) {
      this.deps.logger.warn({ membershipId: membership.membership_id, err: { message: (error as Error).message } }, 'could not ask CommCare what a member may see');
      return membership;
    }
    const checkedAt = new Date();
    await this.deps.db
      .updateTable('tenant_membership')
      .set({ hq_access: report.access, hq_location_ids: report.locationIds, hq_access_checked_at: checkedAt })
      .where('id', '=', membership.membership_id)
      .execute();
    if (report.access !== membership.hq_access || report.locationIds.join() !== membership.hq_location_ids.join()) {
      this.deps.logger.info({ membershipId: membership.membership_id, access: report.access, locations: report.locationIds.length }, 'member access changed');
    }
    return { ...membership, hq_access: report.access, hq_location_ids: report.locationIds, hq_access_checked_at: checkedAt };
  }

  /** The membership with access no older than ACCESS_TTL_MS (asking HQ when it is). */
  async fresh(membership: MembershipRow, signal?: AbortSignal): Promise<MembershipRow> {
    const age = Date.now() - (membership.hq_access_checked_at?.getTime() ?? 0);
    // An open answer is asked again sooner, but not on every query.
    if (age < (membership.hq_access === 'unknown' ? UNKNOWN_RETRY_MS : ACCESS_TTL_MS)) return membership;
    return this.refresh(membership, signal);
  }
}
