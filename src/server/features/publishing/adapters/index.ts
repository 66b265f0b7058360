import type { Egress } from '../../../platform/http/egress';
import { wordpressAdapter } from './wordpress';

/**
 * What Scout does with each connector type against the real service. Every
 * call goes through the egress guard; an adapter never returns or throws a
 * message that contains a credential.
 */

/** A connector as an adapter sees it: validated config and decrypted credentials. */
export interface ConnectionTarget {
  config: Record<string, unknown>;
  credentials: Record<string, unknown>;
}

export type ConnectionOutcome =
  | { ok: true; account: { name: string; url?: string }; message: string }
  | {
      ok: false;
      message: string;
      /** The field to fix (`config.base_url`, `auth.application_password`), when one is to blame. */
      field?: string;
    };

export interface ConnectorAdapter {
  /** One real API call that proves the credentials reach the target and may publish there. */
  testConnection(target: ConnectionTarget, egress: Egress): Promise<ConnectionOutcome>;
}

const ADAPTERS: Record<string, ConnectorAdapter> = {
  wordpress: wordpressAdapter,
};

/** The adapter for a catalog key; undefined for types Scout can't test yet. */
export function adapterFor(catalogKey: string): ConnectorAdapter | undefined {
  return Object.hasOwn(ADAPTERS, catalogKey) ? ADAPTERS[catalogKey] : undefined;
}
