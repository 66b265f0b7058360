import {
  apiKeyCredentialSchema,
  domainNameSchema,
  hqBaseUrlSchema,
  tenantNameSchema,
  type CreateTenantCredentialInput,
  type UpdateTenantCredentialInput,
} from '@shared/tenants';
import { z } from 'zod';
import { ApiError, isApiError } from '@/api/client';

/**
 * The forms ask for the username and the API key separately, which is how
 * CommCare shows them; the API takes them joined as `username:apikey`. These
 * schemas validate each input under its own name, then build the request
 * body, which the shared schemas check once more.
 */

const NEED_BOTH = 'Enter both the username and the API key to replace them, or leave both blank to keep the current ones';

const usernameSchema = z.string().trim();
const apiKeySchema = z.string().trim();

/** Puts a problem with the joined credential under the input that caused it. */
function checkCredential(username: string, apiKey: string, ctx: z.RefinementCtx) {
  if (!username || !apiKey || apiKeyCredentialSchema.safeParse(`${username}:${apiKey}`).success) return;
  if (/[:]|^\s|\s$/.test(username)) {
    ctx.addIssue({ code: 'custom', path: ['username'], message: "A CommCare username can't contain a colon (:)" });
  } else if (/[:\s]/.test(apiKey)) {
    ctx.addIssue({ code: 'custom', path: ['api_key'], message: 'An API key has no spaces or colons. Copy it again from CommCare.' });
  } else {
    ctx.addIssue({ code: 'custom', path: ['api_key'], message: 'This username and API key are too long' });
  }
}

/** "Add a domain": domain, server, username, API key and an optional label. */
export const addDomainFormSchema = z
  .object({
    // A blank domain gets one message, not every rule the shared schema checks.
    tenant_id: z.string().trim().min(1, 'Enter the project space (domain) name').pipe(domainNameSchema),
    hq_base_url: hqBaseUrlSchema,
    username: usernameSchema.min(1, 'Enter your CommCare username'),
    api_key: apiKeySchema.min(1, 'Enter your API key'),
    /** Blank means "use the domain name", which is what the API does when it is left out. */
    tenant_name: z
      .string()
      .trim()
      .optional()
      .transform((value) => value || undefined)
      .pipe(tenantNameSchema.optional()),
  })
  .superRefine((values, ctx) => checkCredential(values.username, values.api_key, ctx))
  .transform(
    (values): CreateTenantCredentialInput => ({
      provider: 'commcare',
      tenant_id: values.tenant_id,
      hq_base_url: values.hq_base_url,
      credential: `${values.username}:${values.api_key}`,
      ...(values.tenant_name ? { tenant_name: values.tenant_name } : {}),
    }),
  );

/**
 * "Edit a domain": the label, and a new username and API key only when both
 * are filled in; blank keeps the stored ones, which the page never sees.
 */
export function editDomainFormSchema(domain: string) {
  return z
    .object({
      tenant_name: z
        .string()
        .trim()
        .transform((value) => value || domain)
        .pipe(tenantNameSchema),
      username: usernameSchema,
      api_key: apiKeySchema,
    })
    .superRefine((values, ctx) => {
      if (!values.username && !values.api_key) return;
      if (!values.username || !values.api_key) {
        ctx.addIssue({ code: 'custom', path: [values.username ? 'api_key' : 'username'], message: NEED_BOTH });
        return;
      }
      checkCredential(values.username, values.api_key, ctx);
    })
    .transform(
      (values): UpdateTenantCredentialInput => ({
        tenant_name: values.tenant_name,
        ...(values.username && values.api_key ? { credential: `${values.username}:${values.api_key}` } : {}),
      }),
    );
}

/**
 * The API names the joined credential `credential`; the forms show its
 * problems under the API key input, which is what CommCare rejects.
 */
export function withFormFieldNames(error: unknown): unknown {
  if (!isApiError(error) || !error.fields.credential) return error;
  const { credential, ...fields } = error.fields;
  return new ApiError({
    status: error.status,
    code: error.code,
    message: error.message,
    fields: { ...fields, api_key: [...(fields.api_key ?? []), ...credential] },
    requestId: error.requestId,
  });
}
