/**
 * Linear-time trimming of one repeated character. `/x+$/` looks harmless but
 * is quadratic: the engine retries the run from every position of a long
 * string of x's followed by anything else.
 */
export function trimEnd(value: string, char: string): string {
  let end = value.length;
  while (end > 0 && value[end - 1] === char) end--;
  return value.slice(0, end);
}

export function trimStart(value: string, char: string): string {
  let start = 0;
  while (start < value.length && value[start] === char) start++;
  return value.slice(start);
}

export function trimBoth(value: string, char: string): string {
  return trimStart(trimEnd(value, char), char);
}

/** ES2024's String#isWellFormed/toWellFormed (Node 20 has them; the ES2023 lib types do not). */
type WellFormed = string & { isWellFormed(): boolean; toWellFormed(): string };

/**
 * The one rule for text Scout accepts from outside: PostgreSQL cannot store a
 * NUL in text or jsonb, and an unpaired surrogate is not Unicode at all.
 * Returns what is wrong, or undefined.
 */
export function textProblem(value: string): string | undefined {
  if (value.includes('\0')) return 'must not contain a NUL character';
  if (!(value as WellFormed).isWellFormed()) return 'must be valid Unicode (it has an unpaired surrogate)';
  return undefined;
}

/** Text made storable for records that must be kept whatever came in (audit logs): NUL and lone surrogates become U+FFFD. */
export function storableText(value: string): string {
  return (value.replaceAll('\0', '\uFFFD') as WellFormed).toWellFormed();
}
