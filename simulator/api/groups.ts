import { type Hono } from 'hono';
import { type SimContext, type SimEnv } from './env';
import { type GuardFor } from './guard';
import { registerResource } from './resource-list';
import { type Group } from '../generator/program';

/**
 * GET /a/<domain>/api/v0.5/group/ (alias /api/group/v1/): v0_4.GroupResource,
 * in name order. Groups are never accessible to a location-restricted user
 * (HQ's location permissions), so when such a user is let through at all
 * ('filter' mode) the list is empty.
 */
export function registerGroups(app: Hono<SimEnv>, ctx: SimContext, guardFor: GuardFor): void {
  registerResource<Group>(app, ctx, guardFor, {
    flavours: ['v0.5/group', 'group/v1'],
    // RequirePermissionAuthentication(edit_commcare_users); not @location_safe.
    policy: { permission: 'edit_commcare_users', locationSafe: false },
    defaultLimit: 20,
    maxLimit: 1000,
    list: (c) => (c.get('scope').restricted ? [] : [...c.get('data').gen.program.groups].sort((a, b) => (a.name < b.name ? -1 : 1))),
    idOf: (group) => group.id,
    present: (group, c, listPath) => ({
      case_sharing: group.caseSharing,
      domain: c.get('data').domain,
      id: group.id,
      metadata: {},
      name: group.name,
      reporting: group.reporting,
      resource_uri: `${listPath}${group.id}/`,
      users: group.userIds,
    }),
  });
}
