import type { CatalogEntry, ConnectorStatus, ConnectorSummary, CreateConnectorInput, PublishTarget, UpdateConnectorInput, ValidateConfigResult } from '@shared/connectors';
import { api, type RequestOptions } from './client';

const connectorsPath = (membershipId: string) => `/api/tenants/${encodeURIComponent(membershipId)}/connectors`;
const connectorPath = (membershipId: string, id: string) => `${connectorsPath(membershipId)}/${encodeURIComponent(id)}`;

export interface ConnectorFilters {
  search?: string;
  status?: ConnectorStatus;
  catalog?: string;
}

/** The connector catalog and a domain's installed connectors (never a secret value: only which are set). */
export const connectorsApi = {
  catalog: (options?: RequestOptions) => api.get<CatalogEntry[]>('/api/connectors/catalog', options),
  validate: (input: { catalog_key: string; config: Record<string, unknown>; auth?: Record<string, unknown> }) =>
    api.post<ValidateConfigResult>('/api/connectors/validate-config', input),
  list: (membershipId: string, filters: ConnectorFilters = {}, options?: RequestOptions) => {
    const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as Array<[string, string]>).toString();
    return api.get<ConnectorSummary[]>(`${connectorsPath(membershipId)}${query ? `?${query}` : ''}`, options);
  },
  nameAvailable: (membershipId: string, name: string, exceptId?: string, options?: RequestOptions) =>
    api.get<{ available: boolean }>(
      `${connectorsPath(membershipId)}/name-available?${new URLSearchParams({ name, ...(exceptId ? { except: exceptId } : {}) }).toString()}`,
      options,
    ),
  create: (membershipId: string, input: CreateConnectorInput) => api.post<ConnectorSummary>(connectorsPath(membershipId), input),
  update: (membershipId: string, id: string, input: UpdateConnectorInput) => api.patch<ConnectorSummary>(connectorPath(membershipId, id), input),
  remove: (membershipId: string, id: string) => api.delete<void>(connectorPath(membershipId, id)),
  publishTargets: (membershipId: string, options?: RequestOptions) =>
    api.get<PublishTarget[]>(`/api/tenants/${encodeURIComponent(membershipId)}/publish-targets`, options),
};
