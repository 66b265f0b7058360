import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

/**
 * What the X and LinkedIn simulators share: PKCE checks, token minting, the
 * one-shot faults tests arm (a 429, an accepted request that never answers),
 * and serving a Hono app on a port.
 */

export const newToken = (bytes = 24) => randomBytes(bytes).toString('base64url');

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** RFC 7636: does `verifier` answer `challenge` by `method`? */
export function pkceMatches(challenge: string, method: 'S256' | 'plain', verifier: string): boolean {
  const expected = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return sameSecret(expected, challenge);
}

/** A verifier is 43–128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1). */
export function validVerifier(verifier: string): boolean {
  if (verifier.length < 43 || verifier.length > 128) return false;
  for (const ch of verifier) {
    const ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch === '-' || ch === '.' || ch === '_' || ch === '~';
    if (!ok) return false;
  }
  return true;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Basic credentials from an Authorization header (client_id:client_secret, each form-encoded). */
export function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

export function bearer(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

/** Faults a test arms for the next matching request, each used once. */
export class OneShotFaults<Name extends string> {
  private readonly rateLimits = new Map<Name | '*', number>();
  private readonly hangs = new Set<Name>();
  private readonly pending = new Set<() => void>();

  /** The next request to `name` (or any, '*') answers 429, retryable after `seconds`. */
  rateLimitNext(name: Name | '*', seconds: number): void {
    this.rateLimits.set(name, seconds);
  }

  /** Seconds to wait, when a 429 is armed for `name`; disarms it. */
  takeRateLimit(name: Name): number | undefined {
    for (const key of [name, '*'] as const) {
      const seconds = this.rateLimits.get(key);
      if (seconds !== undefined) {
        this.rateLimits.delete(key);
        return seconds;
      }
    }
    return undefined;
  }

  /** The next request to `name` does its work, then never answers (the client times out). */
  hangNext(name: Name): void {
    this.hangs.add(name);
  }

  takeHang(name: Name): boolean {
    return this.hangs.delete(name);
  }

  /** A promise that settles only when the simulator closes: the accepted-then-silent answer. */
  hang(): Promise<never> {
    return new Promise<never>((_resolve, reject) => {
      const release = () => reject(new Error('simulator closed'));
      this.pending.add(release);
    });
  }

  releaseAll(): void {
    for (const release of this.pending) release();
    this.pending.clear();
  }
}

export interface RunningApp {
  /** http://127.0.0.1:<port> */
  url: string;
  /** host:port, for SCOUT_EGRESS_ALLOW. */
  hostPort: string;
  close(): Promise<void>;
}

export async function serveApp(fetch: (request: Request) => Response | Promise<Response>, port = 0, host = '127.0.0.1', onClose?: () => void): Promise<RunningApp> {
  const server = await new Promise<Server>((resolve, reject) => {
    const instance = serve({ fetch, port, hostname: host }) as Server;
    instance.once('listening', () => resolve(instance));
    instance.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const hostPort = `${host}:${address.port}`;
  return {
    url: `http://${hostPort}`,
    hostPort,
    close: async () => {
      onClose?.();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
    },
  };
}

/** A decimal id like X's and LinkedIn's (snowflake-sized), increasing. */
export class IdSequence {
  private next: bigint;
  constructor(start: bigint) {
    this.next = start;
  }
  take(): string {
    this.next += 1n + BigInt(Math.floor(Math.random() * 1000));
    return this.next.toString();
  }
}

export function isPng(bytes: Buffer): boolean {
  return bytes.length > 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
}

export function isJpeg(bytes: Buffer): boolean {
  return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}
