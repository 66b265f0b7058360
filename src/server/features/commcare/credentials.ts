/**
 * How Scout authenticates to HQ: a user's API key, or an OAuth access token
 * that Scout can refresh (the refresh callback persists the new tokens).
 */
export type CommCareCredentials =
  | { kind: 'api_key'; username: string; apiKey: string }
  | { kind: 'oauth'; accessToken: string; refresh: () => Promise<string> };

export class InvalidCredentialFormatError extends Error {
  override name = 'InvalidCredentialFormatError';
}

/** Parses the `username:apikey` form users paste; usernames are emails, keys never contain ':'. */
export function parseApiKeyCredential(value: string): CommCareCredentials {
  const trimmed = value.trim();
  const separator = trimmed.lastIndexOf(':');
  const username = trimmed.slice(0, separator).trim();
  const apiKey = trimmed.slice(separator + 1).trim();
  if (separator <= 0 || username === '' || apiKey === '') {
    throw new InvalidCredentialFormatError('Enter the credential as username:apikey, e.g. jane@example.org:abc123');
  }
  return { kind: 'api_key', username, apiKey };
}
