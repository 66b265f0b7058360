import type { Publication, PublicationInput, PublicationPreview, PublicationState, ScheduleDelivery, TableExcerpt } from '@shared/publications';
import { api, type RequestOptions } from './client';

export type { Publication, PublicationInput, PublicationPreview, PublicationState, ScheduleDelivery, TableExcerpt };

const tenantPath = (membershipId: string) => `/api/tenants/${encodeURIComponent(membershipId)}`;
const publicationsPath = (membershipId: string) => `${tenantPath(membershipId)}/publications`;
const publicationPath = (membershipId: string, id: string) => `${publicationsPath(membershipId)}/${encodeURIComponent(id)}`;

/** What editing a publication may change (while it is not published); `submit: true` sends a draft for approval. */
export type PublicationPatch = Partial<Pick<PublicationInput, 'title' | 'text' | 'chart' | 'table' | 'connector_id'>> & { submit?: boolean };

/** What the preview is asked for: the content as typed, and whether a chart image goes with it. */
export interface PreviewInput {
  connector_id: string;
  title: string;
  text: string;
  table?: TableExcerpt | null;
  has_chart: boolean;
}

export interface PublicationFilter {
  state?: PublicationState;
  connector_id?: string;
  limit?: number;
}

/** Publications of a domain: drafted by a member or the agent, approved by an owner or admin, then posted to a connector. */
export const publicationsApi = {
  /** Newest first. */
  list: (membershipId: string, filter: PublicationFilter = {}, options?: RequestOptions) => {
    const params = new URLSearchParams();
    if (filter.state) params.set('state', filter.state);
    if (filter.connector_id) params.set('connector_id', filter.connector_id);
    if (filter.limit) params.set('limit', String(filter.limit));
    const query = params.size > 0 ? `?${params.toString()}` : '';
    return api.get<Publication[]>(`${publicationsPath(membershipId)}${query}`, options);
  },

  get: (membershipId: string, id: string, options?: RequestOptions) => api.get<Publication>(publicationPath(membershipId, id), options),

  /** Waiting for approval, or a draft with `submit: false`. */
  create: (membershipId: string, input: PublicationInput) => api.post<Publication>(publicationsPath(membershipId), input),

  update: (membershipId: string, id: string, patch: PublicationPatch) => api.patch<Publication>(publicationPath(membershipId, id), patch),

  /** Owners and admins: publishing starts in the background (`approved`), then settles as `published` or `failed`. */
  approve: (membershipId: string, id: string) => api.post<Publication>(`${publicationPath(membershipId, id)}/approve`, {}),

  reject: (membershipId: string, id: string, reason?: string) => api.post<Publication>(`${publicationPath(membershipId, id)}/reject`, reason ? { reason } : {}),

  /** How the target will show it: HTML for WordPress, the text as posted for X and LinkedIn. */
  preview: (membershipId: string, input: PreviewInput, options?: RequestOptions) => api.post<PublicationPreview>(`${publicationsPath(membershipId)}/preview`, input, options),
};

export type DeliveryOwner = { kind: 'question' | 'dashboard'; id: string };

const deliveryPath = (membershipId: string, owner: DeliveryOwner) =>
  `${tenantPath(membershipId)}/${owner.kind === 'question' ? 'questions' : 'dashboards'}/${encodeURIComponent(owner.id)}/schedule/delivery`;

/** A scheduled question's or dashboard's delivery: each run becomes a publication to one connector. */
export const scheduleDeliveryApi = {
  get: (membershipId: string, owner: DeliveryOwner, options?: RequestOptions) => api.get<ScheduleDelivery | null>(deliveryPath(membershipId, owner), options),
  /** `auto_publish: true` is the owner's alone (403 otherwise). */
  set: (membershipId: string, owner: DeliveryOwner, delivery: ScheduleDelivery) => api.put<ScheduleDelivery>(deliveryPath(membershipId, owner), delivery),
  remove: (membershipId: string, owner: DeliveryOwner) => api.delete<undefined>(deliveryPath(membershipId, owner)),
};
