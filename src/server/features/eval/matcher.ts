/**
 * The tolerant matcher: does an agent's answer agree with the expected one?
 * An answer is the agent's final text plus the rows of its last query result
 * (the table the user sees beside the text).
 *
 * Rules, in short (each kind's function says more):
 * - number: a number stated in the text (the bold ones when any number is
 *   bold) agrees with the value: exactly for integers, to the precision
 *   stated for fractions, and a fraction may be stated as a percentage. When
 *   the text states no number, a one-row result's number counts.
 * - set: the options the text names (bold ones first) are exactly the
 *   expected ones; for a "which one" question the first named counts.
 * - list: the options in the order the text (else the rows) first names them.
 * - groups: every label's number is confirmed by the text or the rows, and
 *   the text contradicts none.
 * Labels compare case-, whitespace- and underscore-insensitively, with aliases.
 */

/** A label and its aliases (the first is the canonical one): `['amina.otieno', 'Amina Otieno']`. */
export type Label = readonly string[];

export type Expected =
  /** `percent`: the value is a fraction (0.35) that may be stated as a percentage (35%). */
  | { kind: 'number'; value: number; percent?: boolean }
  /** Unordered; `universe` is every option the question could name (what counts as "naming one"). */
  | { kind: 'set'; values: Label[]; universe: Label[] }
  /** Ordered; each tier holds options tied for that place, in any order among themselves. */
  | { kind: 'list'; tiers: Label[][]; universe: Label[] }
  /** A number per label: counts per type, per village, per worker. */
  | { kind: 'groups'; groups: Array<{ label: Label; value: number }> };

export interface AgentAnswer {
  text: string;
  /** The last successful query result's rows (query, visualize, run_question), if any. */
  rows: unknown[][] | null;
}

export interface MatchResult {
  correct: boolean;
  /** Where the judged answer came from. */
  source: 'text' | 'rows' | 'text+rows' | 'none';
  /** What was read as the answer, for the report. */
  found: string;
}

export function matchAnswer(expected: Expected, answer: AgentAnswer): MatchResult {
  switch (expected.kind) {
    case 'number':
      return matchNumber(expected.value, expected.percent ?? false, answer);
    case 'set':
      return matchSet(expected.values, expected.universe, answer);
    case 'list':
      return matchList(expected.tiers, expected.universe, answer);
    case 'groups':
      return matchGroups(expected.groups, answer);
  }
}

/** A short human rendering of an expected answer, for the report. */
export function describeExpected(expected: Expected): string {
  switch (expected.kind) {
    case 'number':
      return expected.percent ? `${round(expected.value * 100, 2)}%` : String(round(expected.value, 4));
    case 'set':
      return `{${expected.values.map((l) => l[0]).join(', ')}}`;
    case 'list':
      return expected.tiers.map((tier) => tier.map((l) => l[0]).join(' = ')).join(' > ');
    case 'groups':
      return expected.groups.map((g) => `${g.label[0]}: ${round(g.value, 4)}`).join(', ');
  }
}

// ---- numbers ----

export interface StatedNumber {
  value: number;
  /** Digits after the decimal point, as written: the precision the speaker claims. */
  decimals: number;
  percent: boolean;
  /** Index in the text. */
  at: number;
  end: number;
}

const NUMBER = /(?<![\w.])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s*(%|percent\b|per cent\b))?/gi;
/** Dates and times are not answers: 2023-03-01, 2023-03, 14:05. */
const DATE_LIKE = /\b\d{4}-\d{2}(?:-\d{2})?(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?\b|\b\d{1,2}:\d{2}(?::\d{2})?\b/g;

const PERCENT_WORDS = ['per cent', 'percent', '%'];

/** The number without a trailing "%", "percent" or "per cent" (string ops: no regex to backtrack). */
function withoutPercentSign(raw: string): string {
  const lower = raw.toLowerCase();
  const word = PERCENT_WORDS.find((w) => lower.endsWith(w));
  return word ? raw.slice(0, raw.length - word.length).trimEnd() : raw;
}

/** Every number stated in `text`, dates blanked out, in order. */
export function statedNumbers(text: string): StatedNumber[] {
  const blanked = text.replace(DATE_LIKE, (m) => ' '.repeat(m.length));
  const found: StatedNumber[] = [];
  for (const match of blanked.matchAll(NUMBER)) {
    const raw = match[0];
    const digits = withoutPercentSign(raw).replace(/,/g, '');
    const decimals = digits.includes('.') ? digits.split('.')[1]!.length : 0;
    found.push({ value: Number(digits), decimals, percent: match[1] !== undefined, at: match.index, end: match.index + raw.length });
  }
  return found;
}

/** The numbers the text offers as its answer: the bold ones when any number is bold, else all. */
function answerNumbers(text: string): StatedNumber[] {
  const bold = [...text.matchAll(/\*\*([^*]+)\*\*/g)].flatMap((m) => statedNumbers(m[1]!));
  return bold.length > 0 ? bold : statedNumbers(text);
}

/**
 * Whether a stated number agrees with the true value. Integers must be exact
 * (relative 1e-6); a non-integer agrees when it is the value rounded to the
 * decimals stated (at least one, so 4.53 is not "5"). For a fraction, a
 * percentage (or a number above 1) is compared in percent, where whole
 * percents are precise enough.
 */
export function agrees(stated: Pick<StatedNumber, 'value' | 'decimals' | 'percent'>, value: number, fraction = false): boolean {
  const inPercent = fraction && (stated.percent || Math.abs(stated.value) > 1);
  const truth = inPercent ? value * 100 : value;
  if (closeEnough(stated.value, truth)) return true;
  if (Number.isInteger(truth) || isNearInteger(truth)) return false;
  if (stated.decimals === 0 && !inPercent) return false;
  return Math.abs(stated.value - truth) <= 0.5 * 10 ** -stated.decimals + 1e-9;
}

function closeEnough(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
}

function isNearInteger(x: number): boolean {
  return Math.abs(x - Math.round(x)) <= 1e-9 * Math.max(1, Math.abs(x));
}

function matchNumber(value: number, fraction: boolean, answer: AgentAnswer): MatchResult {
  const stated = answerNumbers(answer.text);
  if (stated.length > 0) {
    const hit = stated.find((n) => agrees(n, value, fraction));
    return { correct: hit !== undefined, source: 'text', found: (hit ? [hit] : stated).map((n) => `${n.value}${n.percent ? '%' : ''}`).join(', ') };
  }
  const cells = answer.rows?.length === 1 ? answer.rows[0]!.flatMap((cell) => (numeric(cell) === undefined ? [] : [numeric(cell)!])) : [];
  if (cells.length === 1) {
    const cell = cells[0]!;
    return { correct: agrees({ value: cell, decimals: decimalsOf(cell), percent: false }, value, fraction), source: 'rows', found: String(cell) };
  }
  return { correct: false, source: 'none', found: '' };
}

function numeric(cell: unknown): number | undefined {
  if (typeof cell === 'number' && Number.isFinite(cell)) return cell;
  if (typeof cell === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(cell)) return Number(cell);
  return undefined;
}

function decimalsOf(x: number): number {
  const text = String(x);
  return text.includes('.') ? text.split('.')[1]!.length : 0;
}

// ---- labels ----

/** Lowercase, underscores and runs of whitespace as one space, no surrounding punctuation. */
export function normalizeLabel(text: string): string {
  const spaced = text.toLowerCase().replace(/[_\s]+/g, ' ');
  let start = 0;
  let end = spaced.length;
  while (start < end && EDGE_PUNCTUATION.has(spaced[start]!)) start++;
  while (end > start && EDGE_PUNCTUATION.has(spaced[end - 1]!)) end--;
  return spaced.slice(start, end);
}

const EDGE_PUNCTUATION = new Set([...' "\'`*.,:;()[]-']);

const isWordChar = (ch: string | undefined) => ch !== undefined && /\w/.test(ch);

/**
 * The first place `needle` (words separated by single spaces) occurs in
 * `haystack` as whole words, any run of whitespace between its words; by
 * scanning, so that no pattern is built from the label.
 */
function findWords(haystack: string, needle: string): { at: number; end: number } | undefined {
  const words = needle.split(' ');
  for (let from = haystack.indexOf(words[0]!); from !== -1; from = haystack.indexOf(words[0]!, from + 1)) {
    if (isWordChar(haystack[from - 1])) continue;
    let pos = from + words[0]!.length;
    let ok = true;
    for (const word of words.slice(1)) {
      let gap = pos;
      while (gap < haystack.length && /\s/.test(haystack[gap]!)) gap++;
      if (gap === pos || !haystack.startsWith(word, gap)) {
        ok = false;
        break;
      }
      pos = gap + word.length;
    }
    if (ok && !isWordChar(haystack[pos])) return { at: from, end: pos };
  }
  return undefined;
}

/** Lowercase with underscores as spaces: the same length as `text`, so positions stay those of the original. */
function normalizeText(text: string): string {
  return text.toLowerCase().replace(/_/g, ' ');
}

interface Mention {
  label: Label;
  at: number;
  end: number;
}

/** Where each label is first named in the text (its longest alias that occurs, as a whole word). */
function mentions(text: string, labels: readonly Label[]): Mention[] {
  const haystack = normalizeText(text);
  const found: Mention[] = [];
  for (const label of labels) {
    let best: Mention | undefined;
    for (const alias of [...label].sort((a, b) => b.length - a.length)) {
      const needle = normalizeLabel(alias);
      if (!needle) continue;
      const match = findWords(haystack, needle);
      if (match && (!best || match.at < best.at)) best = { label, at: match.at, end: match.end };
    }
    if (best) found.push(best);
  }
  // A label inside a longer one's mention ("Kisumu" inside "Kisumu East") is not a mention of its own.
  const kept = found.filter((m) => !found.some((o) => o !== m && o.at <= m.at && o.end >= m.end && o.end - o.at > m.end - m.at));
  return kept.sort((a, b) => a.at - b.at);
}

function sameLabel(a: Label, b: Label): boolean {
  return a[0] === b[0];
}

function cellMatches(cell: unknown, label: Label): boolean {
  if (cell === null || cell === undefined || typeof cell === 'object') return false;
  const text = normalizeLabel(String(cell));
  return label.some((alias) => normalizeLabel(alias) === text);
}

/** Options named in the text: the bold ones when any bold text names one, else all. */
function namedOptions(text: string, universe: readonly Label[]): Label[] {
  const bold = [...text.matchAll(/\*\*([^*]+)\*\*/g)].map((m) => m[1]!).join(' | ');
  const inBold = bold ? mentions(bold, universe) : [];
  return (inBold.length > 0 ? inBold : mentions(text, universe)).map((m) => m.label);
}

/** The options a result's rows list, in row order: the first cell of each row that is one. */
function rowOptions(rows: unknown[][] | null, universe: readonly Label[]): Label[] {
  const out: Label[] = [];
  for (const row of rows ?? []) {
    const label = universe.find((l) => row.some((cell) => cellMatches(cell, l)));
    if (label && !out.some((o) => sameLabel(o, label))) out.push(label);
  }
  return out;
}

function matchSet(values: readonly Label[], universe: readonly Label[], answer: AgentAnswer): MatchResult {
  let named = namedOptions(answer.text, universe);
  let source: MatchResult['source'] = 'text';
  if (named.length === 0) {
    named = rowOptions(answer.rows, universe);
    source = named.length > 0 ? 'rows' : 'none';
  }
  // "Which village has the most?" answers name runners-up too: the first named is the answer.
  if (values.length === 1 && source === 'text') named = named.slice(0, 1);
  const correct = named.length === values.length && values.every((v) => named.some((n) => sameLabel(n, v)));
  return { correct, source, found: `{${named.map((l) => l[0]).join(', ')}}` };
}

function matchList(tiers: readonly Label[][], universe: readonly Label[], answer: AgentAnswer): MatchResult {
  const size = tiers.reduce((n, tier) => n + tier.length, 0);
  let order = mentions(answer.text, universe).map((m) => m.label);
  let source: MatchResult['source'] = 'text';
  if (order.length < size) {
    const fromRows = rowOptions(answer.rows, universe);
    if (fromRows.length >= size) {
      order = fromRows;
      source = 'rows';
    } else if (order.length === 0) {
      source = 'none';
    }
  }
  order = order.slice(0, size);
  let position = 0;
  let correct = order.length === size;
  for (const tier of tiers) {
    const slice = order.slice(position, position + tier.length);
    if (!tier.every((t) => slice.some((s) => sameLabel(s, t)))) correct = false;
    position += tier.length;
  }
  return { correct, source, found: order.map((l) => l[0]).join(' > ') };
}

function matchGroups(groups: ReadonlyArray<{ label: Label; value: number }>, answer: AgentAnswer): MatchResult {
  const labels = groups.map((g) => g.label);
  const named = mentions(answer.text, labels);
  const numbers = statedNumbers(answer.text);
  let contradicted = false;
  let byText = 0;
  let byRows = 0;
  const found: string[] = [];
  for (const group of groups) {
    const mention = named.find((m) => sameLabel(m.label, group.label));
    // The number a label is given: the first one after it on the same line, before the next label.
    const next = mention ? named.find((m) => m.at > mention.at) : undefined;
    const stated = mention
      ? numbers.find((n) => n.at >= mention.end && (!next || n.at < next.at) && !answer.text.slice(mention.end, n.at).includes('\n'))
      : undefined;
    const row = (answer.rows ?? []).find((r) => r.some((cell) => cellMatches(cell, group.label)));
    const rowAgrees = row?.some((cell) => {
      const value = numeric(cell);
      return value !== undefined && !cellMatches(cell, group.label) && agrees({ value, decimals: decimalsOf(value), percent: false }, group.value);
    });
    if (stated) {
      if (agrees(stated, group.value)) byText++;
      else contradicted = true;
      found.push(`${group.label[0]}: ${stated.value}`);
    } else if (rowAgrees) {
      byRows++;
      found.push(`${group.label[0]}: (row)`);
    } else {
      found.push(`${group.label[0]}: ?`);
    }
  }
  const confirmed = byText + byRows;
  const source: MatchResult['source'] = byText > 0 && byRows > 0 ? 'text+rows' : byText > 0 || (contradicted && byRows === 0) ? 'text' : byRows > 0 ? 'rows' : 'none';
  return { correct: !contradicted && confirmed === groups.length, source, found: found.join(', ') };
}

function round(x: number, places: number): number {
  const f = 10 ** places;
  return Math.round(x * f) / f;
}
