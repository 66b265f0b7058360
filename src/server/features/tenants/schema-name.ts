import { createHash } from 'node:crypto';
import { trimBoth } from '../../../shared/text';

/**
 * The warehouse schema of a tenant: readable (the domain, sanitized) and
 * collision-free (a hash of provider, server and domain), within
 * PostgreSQL's 63-byte identifier limit.
 */
export function schemaNameFor(provider: string, hqBaseUrl: string, domain: string): string {
  const readable = trimBoth(domain.toLowerCase().replace(/[^a-z0-9]+/g, '_'), '_').slice(0, 40);
  const hash = createHash('sha256').update(`${provider}\n${hqBaseUrl}\n${domain}`).digest('hex').slice(0, 10);
  return `t_${readable || 'domain'}_${hash}`;
}
