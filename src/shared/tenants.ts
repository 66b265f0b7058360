import { z } from 'zod';
import type { Can } from './permissions';
import { trimEnd } from './text';

export const PROVIDERS = ['commcare', 'commcare_connect'] as const;
export type Provider = (typeof PROVIDERS)[number];
export const ROLES = ['owner', 'admin', 'analyst'] as const;
export type Role = (typeof ROLES)[number];
export type CredentialType = 'api_key' | 'oauth';

export const TENANT_NAME_MAX_LENGTH = 100;

/** CommCare HQ project space names: letters, digits and . : _ - (older domains), up to 100 characters. */
export const domainNameSchema = z
  .string({ error: 'Enter the project space (domain) name' })
  .trim()
  .min(1, 'Enter the project space (domain) name')
  .max(100, { error: 'A domain name has at most 100 characters', abort: true })
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9._:-]*[A-Za-z0-9])?$/, 'Use the domain name from your CommCare URL, e.g. "my-project" in /a/my-project/');

export const tenantNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a name, or leave it out to use the domain name')
  .max(TENANT_NAME_MAX_LENGTH, `A name has at most ${TENANT_NAME_MAX_LENGTH} characters`);

export const apiKeyCredentialSchema = z
  .string({ error: 'Enter your CommCare username and API key' })
  .trim()
  .min(1, 'Enter your CommCare username and API key')
  .max(500, { error: 'This credential is too long', abort: true })
  // The username may hold inner spaces; neither part may hold a colon or start/end with a space.
  .regex(/^[^:\s](?:[^:]*[^:\s])?:[^:\s]+$/, 'Enter it as username:apikey, e.g. jane@example.org:abc123');

export const hqBaseUrlSchema = z
  .url({ protocol: /^https?$/, error: 'Choose a CommCare server' })
  .max(300, 'This URL is too long')
  .transform((value) => trimEnd(value, '/'));

/**
 * The /api/auth/tenants/ and /api/auth/tenant-credentials/ routes keep the
 * seeds' wire names, in which `tenant_id` means the domain name (or, to
 * select, the membership id). Everywhere else Scout says `domain` for the
 * name and `membership_id` for the membership.
 */

/** `POST /api/auth/tenant-credentials/` */
export const createTenantCredentialSchema = z.strictObject({
  /** Which CommCare product the domain lives on. */
  provider: z.enum(PROVIDERS, { error: 'Choose commcare or commcare_connect' }),
  /** The domain (project space) name as it appears in CommCare URLs. */
  tenant_id: domainNameSchema,
  /** The user's own label for it; the domain name when left out. */
  tenant_name: tenantNameSchema.optional(),
  /** `username:apikey` from CommCare's account settings; verified before it is stored. */
  credential: apiKeyCredentialSchema,
  /** The CommCare server; the configured default when left out. */
  hq_base_url: hqBaseUrlSchema.optional(),
});
export type CreateTenantCredentialInput = z.infer<typeof createTenantCredentialSchema>;

/** `PATCH /api/auth/tenant-credentials/<membership_id>/` */
export const updateTenantCredentialSchema = z
  .strictObject({
    tenant_name: tenantNameSchema.optional(),
    credential: apiKeyCredentialSchema.optional(),
  })
  .refine((body) => body.tenant_name !== undefined || body.credential !== undefined, {
    message: 'Change the name, the credential, or both',
    path: ['_'],
  });
export type UpdateTenantCredentialInput = z.infer<typeof updateTenantCredentialSchema>;

/** `POST /api/auth/tenants/select/` */
export const selectTenantSchema = z.strictObject({
  /** The membership id from `GET /api/auth/tenants/`. */
  tenant_id: z.uuid('Choose one of your domains'),
});

/** One domain the user can use: `GET /api/auth/tenants/`. `id` is the membership id. */
export interface TenantSummary {
  id: string;
  provider: Provider;
  /** The domain name (the seeds' wire name). */
  tenant_id: string;
  tenant_name: string;
  role: Role;
  last_selected_at: string | null;
  /** What the user may do in this domain, answered by the server's permission table (show and hide controls by these). */
  can: Can;
}

/** `GET /api/auth/tenant-credentials/` and the body of create/update. Never a secret. */
export interface TenantCredentialSummary {
  membership_id: string;
  provider: Provider;
  tenant_id: string;
  tenant_name: string;
  hq_base_url: string;
  credential_type: CredentialType;
  verified_at: string | null;
  last_error: string | null;
  /** Connected with "Try with demo data" and still read with its demo key; adding the domain with a key offers to switch it. */
  demo: boolean;
}

/** A CommCare server a user can choose when adding an API key. */
export interface HqServer {
  url: string;
  label: string;
  /** A second line in the server list; the URL's host when absent. The demo server's host means nothing to people. */
  description?: string;
  /** The built-in simulator: its domains are demo data. */
  demo?: boolean;
}

/** `GET /api/auth/hq-servers/`: the servers the API-key form offers. */
export interface HqServersResponse {
  servers: HqServer[];
  default: string;
  /** The built-in simulator is mounted: "Try with demo data" can connect its demo domain. */
  demo_available: boolean;
}

/** `GET /api/auth/providers/`: OAuth sign-in providers that are configured. */
export interface OAuthProviderSummary {
  id: Provider;
  name: string;
  /** Where the browser goes to sign in (or connect) with this provider. */
  login_url: string;
  /** The signed-in user has linked an account of this provider. */
  connected: boolean;
}
