/**
 * "Did you mean …?" for names a person or a model typed: tables, views,
 * columns. One rule everywhere: the candidate nearest by edit distance (a
 * swap of neighbouring letters counts once), if it is near enough to be a typo.
 */

/** Longer than any PostgreSQL name (63 bytes): nothing to suggest, and no quadratic work on a huge input. */
const MAX_WORD_LENGTH = 128;

export function closest(word: string, candidates: string[]): string | undefined {
  if (word.length > MAX_WORD_LENGTH) return undefined;
  const target = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of new Set(candidates)) {
    if (candidate.length > MAX_WORD_LENGTH) continue;
    const distance = editDistance(target, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.min(3, Math.floor(target.length / 3)));
  return best !== undefined && bestDistance <= allowed ? best : undefined;
}

/** Optimal string alignment distance. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => rows[i]?.[j] ?? Infinity;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (rows[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}
