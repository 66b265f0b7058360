import type { SocialProviderConfig, SocialProviders } from '../../config';

/** Which catalog types connect with OAuth, and to which provider. */
const BY_CATALOG_KEY: Readonly<Record<string, keyof SocialProviders>> = { twitter: 'x', linkedin: 'linkedin' };

export function oauthProviderKey(catalogKey: string): keyof SocialProviders | undefined {
  return Object.hasOwn(BY_CATALOG_KEY, catalogKey) ? BY_CATALOG_KEY[catalogKey] : undefined;
}

export function oauthProviderFor(providers: SocialProviders, catalogKey: string): SocialProviderConfig | undefined {
  const key = oauthProviderKey(catalogKey);
  return key ? providers[key] : undefined;
}

/** A token that cannot renew itself is worth a warning this long before it expires. */
export const EXPIRY_WARNING_MS = 7 * 86_400_000;

/** The card's warning about a stored token, or null. */
export function tokenWarning(providerName: string, expiresAt: Date | null, renews: boolean, now = Date.now()): string | null {
  if (!expiresAt || renews) return null;
  const day = expiresAt.toISOString().slice(0, 10);
  const left = expiresAt.getTime() - now;
  if (left <= 0) return `The ${providerName} sign-in expired on ${day}: connect the account again to publish.`;
  if (left > EXPIRY_WARNING_MS) return null;
  const days = Math.ceil(left / 86_400_000);
  return `The ${providerName} sign-in expires on ${day} (in ${days} day${days === 1 ? '' : 's'}): connect the account again before then to keep publishing.`;
}
