import { createHash } from 'node:crypto';
import type pg from 'pg';
import { QueryBusy } from './errors';

/**
 * How many queries may run at once per scope (a user, a domain), shared by
 * every Scout process: a running query holds one of its scope's slots as a
 * session advisory lock on its own warehouse connection. PostgreSQL frees it
 * when the query's transaction ends (the engine unlocks all advisory locks)
 * or the moment the connection dies, so a crashed process never leaks one.
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

const RETRY_MS = 100;

/** Advisory-lock keys of a scope's slots: 64-bit, from a hash, so scopes never share a slot in practice. */
export function slotKeys(scope: SlotScope): string[] {
  return Array.from({ length: scope.limit }, (_, slot) => createHash('sha256').update(`scout-query-slot\n${scope.key}\n${slot}`).digest().readBigInt64BE(0).toString());
}

/**
 * Takes a slot of every scope, or none: a connection that can't get them all
 * gives back what it took and is returned to the pool while it waits, so
 * waiting queries hold no connection other tenants need.
 */
export async function withSlots<T>(pool: pg.Pool, request: SlotRequest | undefined, run: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const deadline = Date.now() + (request?.waitMs ?? 0);
  const keys = request?.scopes.map(slotKeys) ?? [];
  for (;;) {
    const client = await pool.connect();
    let busy: SlotScope | undefined;
    try {
      busy = keys.length > 0 ? await tryTake(client, request!.scopes, keys) : undefined;
    } catch (error) {
      client.release(true);
      throw error;
    }
    if (!busy) {
      // run releases the client, and its transaction's clean-up the slots.
      return run(client);
    }
    client.release();
    if (Date.now() + RETRY_MS > deadline) throw new QueryBusy(busy.busy);
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

/** One round trip: the first free slot of each scope, in order; on a full scope, unlock everything taken. */
async function tryTake(client: pg.PoolClient, scopes: SlotScope[], keys: string[][]): Promise<SlotScope | undefined> {
  const columns = keys.map((_, i) => `(SELECT k FROM unnest($${i + 1}::int8[]) AS k WHERE pg_try_advisory_lock(k) LIMIT 1) IS NOT NULL AS s${i}`);
  const { rows } = await client.query<Record<string, boolean>>(`SELECT ${columns.join(', ')}`, keys);
  const full = scopes.findIndex((_, i) => rows[0]?.[`s${i}`] !== true);
  if (full === -1) return undefined;
  await client.query('SELECT pg_advisory_unlock_all()');
  return scopes[full];
}
