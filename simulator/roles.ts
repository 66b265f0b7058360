/**
 * HQ's user roles as the web-user API shows them: a role name, an admin flag
 * and HqPermissions (corehq/apps/users/models.py), every flag present. The
 * simulator checks the same flags HQ's API authentication does
 * (RequirePermissionAuthentication plus `access_api`).
 */

/** HqPermissions' boolean flags, in declaration order. */
const FLAGS = [
  'edit_web_users', 'view_web_users', 'view_roles', 'edit_commcare_users', 'view_commcare_users', 'edit_groups',
  'view_groups', 'edit_users_in_groups', 'edit_locations', 'view_locations', 'edit_users_in_locations', 'view_data_dict',
  'edit_data_dict', 'edit_motech', 'edit_data', 'edit_apps', 'view_apps', 'edit_shared_exports', 'access_all_locations',
  'access_api', 'access_web_apps', 'edit_messaging', 'access_release_management', 'edit_linked_configurations',
  'edit_reports', 'download_reports', 'view_reports', 'edit_ucrs', 'view_tableau', 'edit_billing', 'report_an_issue',
  'access_mobile_endpoints', 'view_file_dropzone', 'edit_file_dropzone', 'login_as_all_users', 'limited_login_as',
  'access_default_login_as_user', 'manage_data_registry', 'view_data_registry_contents', 'manage_attendance_tracking',
  'manage_domain_alerts',
] as const;

/** The list-valued companions of parameterized permissions (empty lists here). */
const LISTS = ['view_report_list', 'view_tableau_list', 'manage_data_registry_list', 'view_data_registry_contents_list'] as const;

export type Permission = (typeof FLAGS)[number];
export type Permissions = Readonly<Record<Permission, boolean>>;

export interface DomainRole {
  /** HQ's role name: 'Admin' for domain admins (StaticRole.domain_admin). */
  name: string;
  isAdmin: boolean;
  permissions: Permissions;
  /**
   * Site codes of the locations the user is assigned to in this domain
   * (resolved against the domain's generated hierarchy). Only matters when
   * the role lacks access_all_locations.
   */
  locationSiteCodes: readonly string[];
}

function permissions(granted: readonly Permission[]): Permissions {
  const set = new Set(granted);
  return Object.fromEntries(FLAGS.map((flag) => [flag, set.has(flag)])) as Record<Permission, boolean>;
}

/** HqPermissions.max(): a domain admin holds every flag. */
export function adminRole(): DomainRole {
  return { name: 'Admin', isAdmin: true, permissions: permissions(FLAGS), locationSiteCodes: [] };
}

/**
 * A location-restricted role. HqPermissions.normalize() strips web-user,
 * group, app, role and billing permissions from any role without
 * access_all_locations, so such a user can never call the web-user API.
 */
export function fieldSupervisorRole(locationSiteCodes: readonly string[]): DomainRole {
  return {
    name: 'Field Supervisor',
    isAdmin: false,
    permissions: permissions([
      'edit_commcare_users', 'view_commcare_users', 'edit_locations', 'view_locations', 'edit_data', 'access_api',
      'edit_shared_exports', 'download_reports', 'view_reports', 'report_an_issue',
    ]),
    locationSiteCodes,
  };
}

export function can(role: DomainRole, permission: Permission): boolean {
  return role.isAdmin || role.permissions[permission];
}

export function isLocationRestricted(role: DomainRole): boolean {
  return !can(role, 'access_all_locations');
}

/** `role.permissions.to_json()`: every flag and list, keys sorted as tastypie serialises them. */
export function permissionsJson(role: DomainRole): Record<string, boolean | string[]> {
  const out: Record<string, boolean | string[]> = {};
  for (const flag of FLAGS) out[flag] = can(role, flag);
  for (const list of LISTS) out[list] = [];
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}
