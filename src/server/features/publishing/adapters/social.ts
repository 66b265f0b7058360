import { createHash } from 'node:crypto';
import { EgressError, type Egress, type EgressResponse } from '../../../platform/http/egress';
import type { ConnectionTarget, PublishOutcome } from './index';

/** What the X and LinkedIn adapters share: calling with a bearer token, and saying plainly why a call failed. */

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** An API answer too big for these endpoints is not theirs. */
export const MAX_ANSWER_BYTES = 2 * 1024 * 1024;

export type CallResult = { ok: true; response: EgressResponse } | { ok: false; message: string; transient: boolean; status?: number };

/** One request; an unreachable or silent service becomes a transient failure in words. */
export async function call(egress: Egress, url: string, request: { method?: string; headers: Record<string, string>; body?: string | Uint8Array; timeoutMs?: number }): Promise<{ response: EgressResponse } | { failure: CallResult & { ok: false } }> {
  try {
    return { response: await egress.fetch(url, { ...request, maxBytes: MAX_ANSWER_BYTES }) };
  } catch (error) {
    if (error instanceof EgressError) return { failure: { ok: false, message: error.message, transient: error.reason === 'timeout' || error.reason === 'unreachable' } };
    throw error;
  }
}

/** "after 15:42 UTC (in 3 minutes)" from a moment; undefined when unknown. */
export function retryWhen(at: Date | undefined): string {
  if (!at || !Number.isFinite(at.getTime())) return 'try again in a few minutes';
  const seconds = Math.max(0, Math.round((at.getTime() - Date.now()) / 1000));
  const clock = at.toISOString().slice(11, 16);
  const wait = seconds < 90 ? `${seconds} seconds` : seconds < 5400 ? `${Math.round(seconds / 60)} minutes` : `${Math.round(seconds / 3600)} hours`;
  return `try again after ${clock} UTC (in ${wait})`;
}

export function expiresAt(target: ConnectionTarget): Date | undefined {
  const value = target.credentials.token_expires_at;
  if (typeof value !== 'string' || value === '') return undefined;
  const at = new Date(value);
  return Number.isFinite(at.getTime()) ? at : undefined;
}

export function day(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function notPublished(message: string, transient = false): PublishOutcome {
  return { ok: false, transient, message };
}
