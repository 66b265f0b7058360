import type { CatalogEntry, ConnectionCheck, ConnectorSummary, CreateConnectorInput, PublishTarget, UpdateConnectorInput } from '@shared/connectors';
import { api, type RequestOptions } from './client';

const connectorsPath = (membershipId: string) => `/api/tenants/${encodeURIComponent(membershipId)}/connectors`;
const connectorPath = (membershipId: string, id: string) => `${connectorsPath(membershipId)}/${encodeURIComponent(id)}`;

/** The connector catalog and a domain's installed connectors (never a secret value: only which are set). */
export const connectorsApi = {
  catalog: (options?: RequestOptions) => api.get<CatalogEntry[]>('/api/connectors/catalog', options),
  /** All of the domain's connectors: the page searches and filters them in place, as they are few. */
  list: (membershipId: string, options?: RequestOptions) => api.get<ConnectorSummary[]>(connectorsPath(membershipId), options),
  nameAvailable: (membershipId: string, name: string, exceptId?: string, options?: RequestOptions) =>
    api.get<{ available: boolean }>(
      `${connectorsPath(membershipId)}/name-available?${new URLSearchParams({ name, ...(exceptId ? { except: exceptId } : {}) }).toString()}`,
      options,
    ),
  create: (membershipId: string, input: CreateConnectorInput) => api.post<ConnectorSummary>(connectorsPath(membershipId), input),
  update: (membershipId: string, id: string, input: UpdateConnectorInput) => api.patch<ConnectorSummary>(connectorPath(membershipId, id), input),
  remove: (membershipId: string, id: string) => api.delete<void>(connectorPath(membershipId, id)),
  /** Owners and admins: the real API call that proves the credentials (its outcome is also kept as the connector's `last_check`). */
  test: (membershipId: string, id: string) => api.post<ConnectionCheck>(`${connectorPath(membershipId, id)}/test`, {}),
  /** The active connectors that can publish: where a publication may go. */
  publishTargets: (membershipId: string, options?: RequestOptions) =>
    api.get<PublishTarget[]>(`/api/tenants/${encodeURIComponent(membershipId)}/publish-targets`, options),
};
