import type { MembersResponse } from '@shared/members';
import type { Role } from '@shared/tenants';
import { api, type RequestOptions } from './client';

const membersPath = (membershipId: string) => `/api/tenants/${encodeURIComponent(membershipId)}/members`;

/** A domain's members; every path is under the caller's membership, which the server checks. */
export const membersApi = {
  list: (membershipId: string, options?: RequestOptions) => api.get<MembersResponse>(membersPath(membershipId), options),
  setRole: (membershipId: string, memberId: string, role: Role) => api.patch<MembersResponse>(`${membersPath(membershipId)}/${encodeURIComponent(memberId)}`, { role }),
  remove: (membershipId: string, memberId: string) => api.delete<void>(`${membersPath(membershipId)}/${encodeURIComponent(memberId)}`),
};
