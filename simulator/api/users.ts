import { type Context, type Hono } from 'hono';
import { type SimContext, type SimEnv } from './env';
import { type GuardFor } from './guard';
import { UserError, lastParam } from './http';
import { registerResource } from './resource-list';
import { parseBoolean } from './tastypie';
import { type JsonObject } from '../generator/forms';
import { type MobileWorker } from '../generator/program';
import { permissionsJson, type DomainRole } from '../roles';
import { type SimulatorUser } from '../users';

/**
 * GET /a/<domain>/api/v0.5/user/ (alias /api/user/v1/): mobile workers, as
 * v0_5.CommCareUserResource shows them (with primary_location, locations and
 * the location keys HQ adds to user_data). GET .../v0.5/web-user/ (alias
 * /api/web-user/v1/): the domain's web users with role, is_admin and
 * permissions (v0_1.WebUserResource); HQ shows no location fields there,
 * the restriction is visible as permissions.access_all_locations = false.
 */

/** The username HQ gives a mobile worker: `<raw>@<domain>.commcarehq.org`. */
export function mobileUsername(worker: MobileWorker, domain: string): string {
  return `${worker.username}@${domain}.commcarehq.org`;
}

function workerJson(worker: MobileWorker, domain: string, resourceUri: string): JsonObject {
  const primary = worker.locationIds[0] ?? null;
  return {
    default_phone_number: worker.phoneNumber,
    email: '',
    eulas: '[]',
    first_name: worker.firstName,
    groups: worker.groupIds,
    id: worker.id,
    last_name: worker.lastName,
    locations: worker.locationIds,
    phone_numbers: [worker.phoneNumber],
    primary_location: primary,
    resource_uri: resourceUri,
    // Custom fields, plus the location keys dehydrate_user_data adds for backwards compatibility.
    user_data: {
      chw_id: worker.chwId,
      ...(primary ? { commcare_location_id: primary, commcare_location_ids: worker.locationIds.join(' '), commcare_primary_case_sharing_id: primary } : {}),
      commcare_project: domain,
    },
    username: mobileUsername(worker, domain),
  };
}

/** WebUserResource's object; also what the SSO resource answers for a web user. */
export function webUserJson(user: SimulatorUser, role: DomainRole, resourceUri: string): JsonObject {
  return {
    default_phone_number: null,
    email: user.email,
    eulas: '[]',
    first_name: user.firstName,
    id: user.id,
    is_admin: role.isAdmin,
    last_name: user.lastName,
    permissions: permissionsJson(role),
    phone_numbers: [],
    resource_uri: resourceUri,
    role: role.name,
    username: user.username,
  };
}

function workersFor(c: Context<SimEnv>, params: URLSearchParams): MobileWorker[] {
  const { domain, gen } = c.get('data');
  const program = gen.program;
  const scope = c.get('scope');
  let workers = [...program.workers].sort((a, b) => (a.username < b.username ? -1 : 1));
  const groupId = lastParam(params, 'group');
  if (groupId) {
    const group = program.groups.find((g) => g.id === groupId);
    if (!group) throw new UserError(`Project ${domain} has no group with id=${groupId}`);
    workers = workers.filter((w) => group.userIds.includes(w.id));
  } else if (parseBoolean(lastParam(params, 'archived') ?? 'false')) {
    // show_archived lists deactivated workers: there are none.
    workers = [];
  }
  return scope.restricted ? workers.filter((w) => scope.workerIds.has(w.id)) : workers;
}

export function registerUsers(app: Hono<SimEnv>, ctx: SimContext, guardFor: GuardFor): void {
  registerResource<MobileWorker>(app, ctx, guardFor, {
    flavours: ['v0.5/user', 'user/v1'],
    // RequirePermissionAuthentication(edit_commcare_users); not @location_safe.
    policy: { permission: 'edit_commcare_users', locationSafe: false },
    defaultLimit: 20,
    maxLimit: 1000,
    list: workersFor,
    idOf: (worker) => worker.id,
    present: (worker, c, listPath) => workerJson(worker, c.get('data').domain, `${listPath}${worker.id}/`),
  });

  registerResource<SimulatorUser>(app, ctx, guardFor, {
    flavours: ['v0.5/web-user', 'web-user/v1'],
    // RequirePermissionAuthentication(edit_web_users): a location-restricted role can never hold it.
    policy: { permission: 'edit_web_users', locationSafe: false },
    defaultLimit: 20,
    maxLimit: 1000,
    list: (c, params) => {
      const members = ctx.users.membersOf(c.get('data').domain);
      const username = lastParam(params, 'web_username');
      return username ? members.filter((u) => u.username === username.trim().toLowerCase()) : members;
    },
    idOf: (user) => user.id,
    present: (user, c, listPath) => webUserJson(user, user.roles[c.get('data').domain]!, `${listPath}${user.id}/`),
  });
}
