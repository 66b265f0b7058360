import { ERROR_CODES } from '../../../shared/errors';
import type { Role } from '../../../shared/tenants';
import { AppError } from '../../platform/http/errors';

/** Members read a domain's connectors; owners and admins change them. */
export function assertCanManageConnectors(role: Role): void {
  if (role === 'analyst') {
    throw new AppError(403, ERROR_CODES.forbidden, 'Only owners and admins of this domain can add, change or remove connectors; analysts can view them.');
  }
}
