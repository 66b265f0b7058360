import { createHash, randomBytes } from 'node:crypto';
import { MCP_TOKEN_PREFIX } from '../../../shared/mcp';

const PREFIX_LENGTH = 8;

/** A new token: 24 random bytes are 32 base64url characters after `scout_pat_`. */
export function generateToken(): { token: string; hash: string; prefix: string } {
  const secret = randomBytes(24).toString('base64url');
  const token = `${MCP_TOKEN_PREFIX}${secret}`;
  return { token, hash: hashToken(token), prefix: secret.slice(0, PREFIX_LENGTH) };
}

/** Tokens are long and random, so a plain SHA-256 is enough (no salt or slow hash needed). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** `Authorization: Bearer scout_pat_…` → the token, or undefined when there is none. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
