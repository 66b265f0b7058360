import type { Role } from '../../../shared/tenants';

export type WarehouseAction = 'view' | 'sync' | 'cancel' | 'teardown';

/** Who may do what with a tenant's warehouse: every member reads and syncs; owners and admins tear down. */
const RULES: Record<WarehouseAction, readonly Role[]> = {
  view: ['owner', 'admin', 'analyst'],
  sync: ['owner', 'admin', 'analyst'],
  cancel: ['owner', 'admin', 'analyst'],
  teardown: ['owner', 'admin'],
};

export function may(role: Role, action: WarehouseAction): boolean {
  return RULES[action].includes(role);
}
