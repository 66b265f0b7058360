import { trimBoth, trimEnd } from '../../../../shared/text';

/**
 * Names of views and columns: lowercase ASCII letters, digits and underscores,
 * starting with a letter, at most 63 bytes (PostgreSQL's NAMEDATALEN - 1),
 * unique within their scope (the schema for views, the view for columns).
 */

export const MAX_NAME_BYTES = 63;

/** 'Mère-Enfant 2' -> 'mere_enfant_2'; '' when nothing usable is left. */
export function sanitize(raw: string): string {
  const words = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_');
  return trimBoth(words, '_');
}

/** Whether sanitizing keeps the raw name as it is: such names get first pick of their sanitized form. */
export function isClean(raw: string): boolean {
  return sanitize(raw) === raw;
}

/**
 * Orders raw names for allocation so that the result does not depend on input
 * order, and a name that is already clean ('a_b') wins its own name over a
 * look-alike ('a-b' becomes 'a_b_2').
 */
export function allocationOrder<T>(items: readonly T[], rawOf: (item: T) => string, tieOf: (item: T) => string = rawOf): T[] {
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...items].sort((x, y) => {
    const a = rawOf(x);
    const b = rawOf(y);
    return Number(isClean(b)) - Number(isClean(a)) || compare(a, b) || compare(tieOf(x), tieOf(y));
  });
}

export interface AllocatorOptions {
  /** Names already in use (other relations in the schema, fixed columns). */
  taken?: Iterable<string>;
  /** SQL reserved words: a column named one gets a trailing underscore so it needs no quoting. */
  reservedWords?: ReadonlySet<string>;
}

/** Hands out unique sanitized names within one scope. */
export class NameAllocator {
  private readonly taken: Set<string>;
  private readonly reservedWords: ReadonlySet<string>;

  constructor(options: AllocatorOptions = {}) {
    this.taken = new Set(options.taken ?? []);
    this.reservedWords = options.reservedWords ?? new Set();
  }

  /** Claims an exact name (e.g. a fixed column); throws when it is already taken. */
  claim(name: string): string {
    if (this.taken.has(name)) throw new Error(`Name ${name} is already taken.`);
    this.taken.add(name);
    return name;
  }

  has(name: string): boolean {
    return this.taken.has(name);
  }

  /**
   * `prefix` + sanitized `raw` (or `fallback` when nothing usable is left),
   * made to start with a letter, kept within 63 bytes and suffixed _2, _3 …
   * until unique.
   */
  allocate(raw: string, options: { prefix?: string; fallback?: string } = {}): string {
    const prefix = options.prefix ?? '';
    let base = prefix + (sanitize(raw) || options.fallback || 'unnamed');
    if (!/^[a-z]/.test(base)) base = `c_${base}`;
    if (this.reservedWords.has(base)) base = `${base}_`;
    base = trimTo(base, MAX_NAME_BYTES);
    let candidate = base;
    for (let n = 2; this.taken.has(candidate); n++) {
      const suffix = `_${n}`;
      candidate = trimEnd(trimTo(base, MAX_NAME_BYTES - suffix.length), '_') + suffix;
    }
    this.taken.add(candidate);
    return candidate;
  }
}

/** Sanitized names are ASCII, so bytes are characters; a cut never leaves a trailing underscore. */
function trimTo(name: string, bytes: number): string {
  return name.length <= bytes ? name : trimEnd(name.slice(0, bytes), '_');
}
