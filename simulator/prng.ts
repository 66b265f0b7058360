/**
 * Hand-rolled hashing and PRNG. Every generated record is a pure function of
 * (seed, domain, record number): we hash those into a 32-bit seed and draw the
 * record's fields from a small PRNG, so any record can be produced on demand,
 * in any order, without generating the ones before it.
 */

/** murmur3's 32-bit finaliser: cheap and avalanches well. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes a list of integers (any size: values are folded to 32 bits, high bits included). */
export function hash32(...parts: number[]): number {
  let h = 0x9747b28c;
  for (const part of parts) {
    // Fold numbers above 2^32 (record numbers, microsecond timestamps) so their high bits count too.
    const low = part >>> 0;
    const high = Math.floor(part / 4294967296) >>> 0;
    h = fmix32(Math.imul(h ^ low, 0xcc9e2d51) + 0x1b873593 + Math.imul(high, 0x27d4eb2f));
  }
  return fmix32(h ^ parts.length);
}

/** FNV-1a over UTF-16 code units, finalised: turns a domain name or label into a hash input. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** mulberry32: tiny, fast, good enough for realistic-looking data (not for cryptography). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('Rng.pick on an empty list');
    return item;
  }
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex8(n: number): string {
  return HEX[(n >>> 24) & 0xff]! + HEX[(n >>> 16) & 0xff]! + HEX[(n >>> 8) & 0xff]! + HEX[n & 0xff]!;
}

/** 32 lowercase hex digits (CouchDB-style ids: users, groups, locations, applications). */
export function hexId(...parts: number[]): string {
  const a = hash32(...parts, 1);
  const b = hash32(...parts, 2);
  const c = hash32(...parts, 3);
  const d = hash32(...parts, 4);
  return hex8(a) + hex8(b) + hex8(c) + hex8(d);
}

/** A version-4-shaped UUID (case and form ids, as HQ issues them). */
export function uuid(...parts: number[]): string {
  const a = hash32(...parts, 1);
  const b = hash32(...parts, 2);
  const c = hash32(...parts, 3);
  const d = hash32(...parts, 4);
  const bHex = hex8(((b & 0xffff0fff) | 0x00004000) >>> 0);
  const cHex = hex8(((c & 0x3fffffff) | 0x80000000) >>> 0);
  return `${hex8(a)}-${bHex.slice(0, 4)}-${bHex.slice(4)}-${cHex.slice(0, 4)}-${cHex.slice(4)}${hex8(d)}`;
}
