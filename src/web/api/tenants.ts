import type {
  CreateTenantCredentialInput,
  HqServersResponse,
  OAuthProviderSummary,
  Provider,
  TenantCredentialSummary,
  TenantSummary,
  UpdateTenantCredentialInput,
} from '@shared/tenants';
import { api, type RequestOptions } from './client';

/** The domains (tenant memberships) of the signed-in user, and how they are connected. */
export const tenantsApi = {
  /** Most recently selected first. */
  listDomains: (options?: RequestOptions) => api.get<TenantSummary[]>('/api/auth/tenants/', options),

  /** Makes a domain the active one; the server remembers it across reloads and devices. */
  selectDomain: (membershipId: string) =>
    api.post<{ status: 'ok'; tenant_id: string }>('/api/auth/tenants/select/', { tenant_id: membershipId }),

  listCredentials: (options?: RequestOptions) =>
    api.get<TenantCredentialSummary[]>('/api/auth/tenant-credentials/', options),

  /** Verifies the key with CommCare before anything is stored, so it can take a few seconds. */
  connectWithApiKey: (input: CreateTenantCredentialInput) =>
    api.post<TenantCredentialSummary>('/api/auth/tenant-credentials/', input),

  updateCredential: (membershipId: string, input: UpdateTenantCredentialInput) =>
    api.patch<TenantCredentialSummary>(`/api/auth/tenant-credentials/${encodeURIComponent(membershipId)}/`, input),

  removeDomain: (membershipId: string) =>
    api.delete<undefined>(`/api/auth/tenant-credentials/${encodeURIComponent(membershipId)}/`),

  /** Connects the built-in simulator's demo domain ("Try with demo data"). */
  connectDemo: () => api.post<TenantCredentialSummary>('/api/auth/tenant-credentials/demo/', {}),

  hqServers: (options?: RequestOptions) => api.get<HqServersResponse>('/api/auth/hq-servers/', options),

  /** The configured OAuth providers (an empty list when none is). Works signed out too. */
  listProviders: (options?: RequestOptions) => api.get<OAuthProviderSummary[]>('/api/auth/providers/', options),

  disconnectProvider: (id: Provider) =>
    api.post<{ status: 'ok' }>(`/api/auth/providers/${encodeURIComponent(id)}/disconnect/`, {}),
};
