import type { SocialProviderConfig } from '../../../config';
import type { Egress } from '../../../platform/http/egress';
import { linkedinAdapter } from './linkedin';
import { wordpressAdapter } from './wordpress';
import { xAdapter } from './x';

/**
 * What Scout does with each connector type against the real service. Every
 * call goes through the egress guard; an adapter never returns or throws a
 * message that contains a credential.
 */

/** A connector as an adapter sees it: validated config and decrypted credentials. */
export interface ConnectionTarget {
  config: Record<string, unknown>;
  credentials: Record<string, unknown>;
  /** How long one call to the service may take (default: the adapter's own). */
  timeoutMs?: number;
  /** Stores credentials the adapter renewed (a refreshed OAuth token), encrypted like the others. */
  updateCredentials?: (patch: Record<string, string>) => Promise<void>;
  /** OAuth types (X, LinkedIn): the provider's endpoints and Scout's app there; absent: the real endpoints, no app. */
  provider?: SocialProviderConfig;
  /** What each publication sent through this connector, for `findPublished` (X, LinkedIn). */
  attempts?: PublishAttempts;
}

/**
 * A publish attempt as recorded just before the post is sent: the SHA-256 of
 * the exact text and when. Neither X nor LinkedIn takes an idempotency key
 * or an invisible marker, so after a timeout the adapter looks through the
 * account's posts since then for that text.
 */
export interface PublishAttempt {
  textSha256: string;
  startedAt: Date;
}

export interface PublishAttempts {
  /** Records what `publicationId` is about to send (the earliest start is kept). */
  record(publicationId: string, attempt: PublishAttempt): Promise<void>;
  find(publicationId: string): Promise<PublishAttempt | undefined>;
}

export type ConnectionOutcome =
  | { ok: true; account: { name: string; url?: string }; message: string }
  | {
      ok: false;
      message: string;
      /** The field to fix (`config.base_url`, `auth.application_password`), when one is to blame. */
      field?: string;
    };

/** What an adapter posts: already checked; `text` is plain text (never markup) and `table` is data. */
export interface PublishContent {
  /** The publication's id: adapters mark the post with it, so a retry after a timeout finds it instead of posting twice. */
  publicationId: string;
  title: string;
  text: string;
  table: { columns: string[]; rows: string[][] } | null;
  image: { png: Buffer; alt: string } | null;
}

export type PublishOutcome =
  | { ok: true; externalId: string; url: string | null }
  /** `transient`: worth trying again (timeouts, 429, 5xx); otherwise the connector or content must change first. */
  | { ok: false; transient: boolean; message: string };

export interface ConnectorAdapter {
  /** One real API call that proves the credentials reach the target and may publish there. */
  testConnection(target: ConnectionTarget, egress: Egress): Promise<ConnectionOutcome>;
  /** Posts the content; absent for types that can't publish. */
  publish?(target: ConnectionTarget, content: PublishContent, egress: Egress): Promise<PublishOutcome>;
  /**
   * The post an earlier attempt of this publication made, if it did (checked
   * before a retry). Throws (a plain message) when the adapter cannot tell:
   * then a retry could post twice.
   */
  findPublished?(target: ConnectionTarget, publicationId: string, egress: Egress): Promise<{ externalId: string; url: string | null } | undefined>;
  /** How the target will show the content (the compose dialog's preview). */
  preview?(config: Record<string, unknown>, content: Omit<PublishContent, 'publicationId' | 'image'> & { hasImage: boolean }): { body: string; format: 'html' | 'text'; limit: number | null; warnings: string[]; length?: number };
}

const ADAPTERS: Record<string, ConnectorAdapter> = {
  wordpress: wordpressAdapter,
  twitter: xAdapter,
  linkedin: linkedinAdapter,
};

/** The adapter for a catalog key; undefined for types Scout can't test yet. */
export function adapterFor(catalogKey: string): ConnectorAdapter | undefined {
  return Object.hasOwn(ADAPTERS, catalogKey) ? ADAPTERS[catalogKey] : undefined;
}

