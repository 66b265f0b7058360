import { createHash, randomBytes, randomInt } from 'node:crypto';
import { type SimulatorUser, type UserDirectory } from './users';

/**
 * HTTP Digest as HQ serves it through django-digest and python-digest:
 * realm "DJANGO", qop "auth", MD5, a nonce `<timestamp>:<salt>:<md5(timestamp:salt:secret)>`
 * that is valid for 5 minutes to open a session, and nonce counts that
 * must grow (a replayed nc is refused).
 */

export const DIGEST_REALM = 'DJANGO';
/** django-digest's DIGEST_NONCE_TIMEOUT_IN_SECONDS default. */
export const DEFAULT_NONCE_TIMEOUT_SECONDS = 300;
/** What django-digest's challenge response carries (text/plain). */
export const DIGEST_CHALLENGE_BODY = 'Authorization Required';

/** python-digest's _REQUIRED_DIGEST_RESPONSE_PARTS: a response missing any is not Digest credentials. */
const REQUIRED = ['username', 'realm', 'nonce', 'uri', 'response', 'algorithm', 'opaque', 'qop', 'nc', 'cnonce'] as const;
const MAX_HEADER = 4096;
const MAX_NONCES = 10_000;
const HEX = '0123456789ABCDEF';

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/**
 * Parses `key="value", key=token, ...` (python-digest's parse_parts): quoted
 * values may contain commas and backslash escapes. A character loop, not a
 * regex, so any header is linear. Null when malformed.
 */
export function parseDigestParts(text: string): Record<string, string> | null {
  const parts: Record<string, string> = {};
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  while (i < text.length) {
    skipSpace();
    const keyStart = i;
    while (i < text.length && text[i] !== '=' && text[i] !== ',' && text[i] !== ' ') i++;
    const name = text.slice(keyStart, i);
    skipSpace();
    if (name === '' || text[i] !== '=') return null;
    i++;
    skipSpace();
    let value = '';
    if (text[i] === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i];
        i++;
      }
      if (text[i] !== '"') return null;
      i++;
    } else {
      const start = i;
      while (i < text.length && text[i] !== ',' && text[i] !== ' ') i++;
      value = text.slice(start, i);
    }
    parts[name] = value;
    skipSpace();
    if (i < text.length) {
      if (text[i] !== ',') return null;
      i++;
    }
  }
  return parts;
}

/** The path part of a digest `uri` (python-digest's validate_uri compares it, unquoted, with request.path). */
function uriPath(uri: string): string {
  let path = uri;
  const scheme = path.indexOf('://');
  if (scheme >= 0) {
    const slash = path.indexOf('/', scheme + 3);
    path = slash < 0 ? '/' : path.slice(slash);
  }
  for (const stop of ['?', '#']) {
    const at = path.indexOf(stop);
    if (at >= 0) path = path.slice(0, at);
  }
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export class DigestAuthenticator {
  private readonly secret = randomBytes(16).toString('hex');
  /** nonce → highest nonce count seen (django-digest's NonceStorage with DIGEST_ENFORCE_NONCE_COUNT). */
  private readonly nonces = new Map<string, number>();

  constructor(
    private readonly users: UserDirectory,
    private readonly timeoutSeconds = DEFAULT_NONCE_TIMEOUT_SECONDS,
    private readonly now: () => number = Date.now,
  ) {}

  private nonceFor(timestamp: string, salt: string): string {
    return `${timestamp}:${salt}:${md5(`${timestamp}:${salt}:${this.secret}`)}`;
  }

  /** python-digest's build_digest_challenge: every value quoted, in its keyword order. */
  challenge(): string {
    const salt = Array.from({ length: 4 }, () => HEX[randomInt(16)]).join('');
    const opaque = Array.from({ length: 32 }, () => HEX[randomInt(16)]).join('');
    const nonce = this.nonceFor(String(this.now() / 1000), salt);
    return `Digest realm="${DIGEST_REALM}", qop="auth", nonce="${nonce}", opaque="${opaque}", algorithm="MD5", stale="false"`;
  }

  /** HttpDigestAuthenticator.authenticate: the user, or null (bad parts, realm, nonce, response, uri, stale or replayed nonce). */
  authenticate(credentials: string, method: string, path: string): SimulatorUser | null {
    if (credentials.length > MAX_HEADER) return null;
    const parts = parseDigestParts(credentials);
    if (!parts || REQUIRED.some((name) => parts[name] === undefined)) return null;
    if (parts.realm !== DIGEST_REALM || parts.qop !== 'auth' || parts.algorithm?.toUpperCase() !== 'MD5') return null;
    const nonce = parts.nonce!;
    const [timestamp, salt, signature] = nonce.split(':');
    if (timestamp === undefined || salt === undefined || signature === undefined || this.nonceFor(timestamp, salt) !== nonce) return null;
    const nc = /^[0-9a-fA-F]{1,8}$/.test(parts.nc!) ? parseInt(parts.nc!, 16) : NaN;
    if (!Number.isFinite(nc)) return null;

    // django-digest keeps partial digests for the username and the email (and their lowercase forms).
    const login = parts.username!;
    const user = this.users.find(login);
    if (!user || (login !== user.username && login !== user.email)) return null;
    const ha1 = md5(`${login}:${DIGEST_REALM}:${user.password}`);
    const ha2 = md5(`${method}:${parts.uri!}`);
    const expected = md5(`${ha1}:${nonce}:${nc.toString(16).padStart(8, '0')}:${parts.cnonce!}:auth:${ha2}`);
    if (expected !== parts.response!.toLowerCase()) return null;
    if (uriPath(parts.uri!) !== path) return null;

    const seen = this.nonces.get(nonce);
    if (seen !== undefined) {
      if (nc <= seen) return null;
    } else {
      // A nonce that opens a session must be fresh; one already in use may go on past the timeout.
      if (Number(timestamp) + this.timeoutSeconds < this.now() / 1000) return null;
      if (this.nonces.size >= MAX_NONCES) this.nonces.delete(this.nonces.keys().next().value!);
    }
    this.nonces.set(nonce, nc);
    return user;
  }
}
