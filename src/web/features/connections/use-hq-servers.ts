import type { HqServersResponse } from '@shared/tenants';
import { tenantsApi } from '@/api/tenants';
import { useResource, type Resource } from '@/lib/use-resource';

// The list is Scout's configuration, the same for everyone and fixed while it
// runs: one request serves every form on every page until it fails.
let cached: Promise<HqServersResponse> | null = null;

function loadHqServers(): Promise<HqServersResponse> {
  cached ??= tenantsApi.hqServers().catch((error: unknown) => {
    cached = null;
    throw error;
  });
  return cached;
}

/** The CommCare servers the API-key form offers, the default one, and whether demo data is available. */
export function useHqServers(): Resource<HqServersResponse> {
  return useResource(loadHqServers);
}
