import { createHash } from 'node:crypto';

/**
 * How many queries may run at once per scope (a user, a domain), shared by
 * every Scout process: a running query holds one of its scope's slots as a
 * session advisory lock on its own warehouse connection. PostgreSQL frees it
 * when the engine ends the query (it unlocks all advisory locks) or the
 * moment the connection dies, so a crashed process never leaks one.
 */
export interface SlotScope {
  /** 'user:<id>', 'tenant:<id>'. */
  key: string;
  limit: number;
  /** Said when every slot stays taken: who is busy, in words. */
  busy: string;
}

export interface SlotRequest {
  scopes: SlotScope[];
  /** How long to wait for a free slot before refusing (ms). */
  waitMs: number;
}

/** Advisory-lock keys of a scope's slots: 64-bit, from a hash, so scopes never share a slot in practice. */
export function slotKeys(scope: SlotScope): string[] {
  return Array.from({ length: scope.limit }, (_, slot) => createHash('sha256').update(`scout-query-slot\n${scope.key}\n${slot}`).digest().readBigInt64BE(0).toString());
}

/**
 * One statement that takes the first free slot of each scope, in order, and
 * says which it got: `SELECT … AS s0, … AS s1`. It leads the engine's set-up
 * round trip, so slots cost no round trip of their own. The keys are numbers
 * Scout computed, so they are written in as literals.
 */
export function takeSlotsSql(request: SlotRequest): string {
  const columns = request.scopes.map((scope, i) => {
    const keys = slotKeys(scope).join(',');
    return `(SELECT k FROM unnest('{${keys}}'::int8[]) AS k WHERE pg_try_advisory_lock(k) LIMIT 1) IS NOT NULL AS s${i}`;
  });
  return `SELECT ${columns.join(', ')}`;
}

/** The first scope whose slots were all taken, from the row `takeSlotsSql` returned; undefined when every scope gave one. */
export function fullScope(request: SlotRequest, row: Record<string, unknown> | undefined): SlotScope | undefined {
  return request.scopes.find((_, i) => row?.[`s${i}`] !== true);
}
