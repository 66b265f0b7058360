/**
 * A selection is an ordered list of sequence positions (see DomainData)
 * without materialising it: a plain range, a slice of a cached scan, or
 * either reversed. Paging then costs O(page), not O(domain).
 */
export interface Selection {
  readonly count: number;
  at(k: number): number;
}

export function rangeSelection(lo: number, hi: number): Selection {
  return { count: Math.max(0, hi - lo), at: (k) => lo + k };
}

/** First index in the sorted `positions` whose value is >= `value`. */
function lowerBound(positions: Int32Array, value: number): number {
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (positions[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The members of sorted `positions` that fall in [lo, hi). */
export function positionsWithin(positions: Int32Array, lo: number, hi: number): Selection {
  const start = lowerBound(positions, lo);
  const end = Math.max(start, lowerBound(positions, hi));
  return { count: end - start, at: (k) => positions[start + k]! };
}

/** Positions in an arbitrary order (a cached sort), restricted to those in [lo, hi) of a sequence of `total`. */
export function orderedWithin(order: Int32Array, lo: number, hi: number, total: number): Selection {
  if (lo <= 0 && hi >= total) return { count: order.length, at: (k) => order[k]! };
  const kept = order.filter((p) => p >= lo && p < hi);
  return { count: kept.length, at: (k) => kept[k]! };
}

export function reversed(selection: Selection): Selection {
  return { count: selection.count, at: (k) => selection.at(selection.count - 1 - k) };
}
