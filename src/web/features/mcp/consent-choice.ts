import type { McpConsentRequest } from '@shared/mcp';

type ConsentDomain = McpConsentRequest['domains'][number];

/**
 * The domains ticked when the consent page opens: those an earlier consent to
 * this client allowed, or the only domain there is; otherwise none, so the
 * user decides.
 */
export function initialDomainChoice(domains: readonly ConsentDomain[]): string[] {
  const granted = domains.filter((domain) => domain.granted).map((domain) => domain.membership_id);
  if (granted.length > 0) return granted;
  const [only] = domains;
  return domains.length === 1 && only ? [only.membership_id] : [];
}

/** The picked domains after (un)ticking one, in the order picked: the first is where the client starts. */
export function togglePicked(picked: readonly string[], membershipId: string, checked: boolean): string[] {
  const without = picked.filter((id) => id !== membershipId);
  return checked ? [...without, membershipId] : without;
}

/** Schemes that would run or show something in Scout's own page instead of handing the answer to the client. */
const NOT_A_CLIENT = new Set(['javascript:', 'data:', 'vbscript:', 'blob:', 'file:', 'about:']);

/**
 * Whether the consent answer's `redirect_uri` is a place to send the browser:
 * the client's web address or its app's own scheme (`cursor://…`), never a
 * script or inline document, whatever a registration slipped past the server.
 */
export function isNavigableRedirect(uri: string): boolean {
  try {
    return !NOT_A_CLIENT.has(new URL(uri).protocol);
  } catch {
    return false;
  }
}
