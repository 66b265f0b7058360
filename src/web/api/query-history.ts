import type { HistoryEntry } from '@shared/query-history';
import { api, type RequestOptions } from './client';

export type { HistoryEntry };

const queriesPath = (membershipId: string) => `/api/tenants/${encodeURIComponent(membershipId)}/queries`;

/** The SQL this member ran in the domain (console, chat, exports), and the queries they starred. */
export const queryHistoryApi = {
  /** Newest first, starred first; `search` matches the SQL's text. */
  list: (membershipId: string, { search, starred, limit }: { search?: string; starred?: boolean; limit?: number } = {}, options?: RequestOptions) => {
    const params = new URLSearchParams();
    if (search) params.set('search', search);
    if (starred) params.set('starred', 'true');
    if (limit) params.set('limit', String(limit));
    const query = params.size > 0 ? `?${params.toString()}` : '';
    return api.get<HistoryEntry[]>(`${queriesPath(membershipId)}${query}`, options);
  },

  star: (membershipId: string, sql: string) => api.post<{ id: string }>(`${queriesPath(membershipId)}/stars`, { sql }),

  unstar: (membershipId: string, starId: string) => api.delete<undefined>(`${queriesPath(membershipId)}/stars/${encodeURIComponent(starId)}`),
};
