import type { ParameterType, QuestionParameter } from '../../../shared/questions';

/**
 * A question's SQL names its parameters `{{name}}` (a date range's ends
 * `{{name.from}}` and `{{name.to}}`). Before the query engine sees it, each
 * placeholder becomes a typed bind parameter (`$1::date`), and the values
 * travel apart from the SQL: a value is data, whatever characters it holds.
 *
 * The scan is one linear pass that knows where SQL is not code: text in
 * quotes ('…', E'…', "…", $tag$…$tag$) and comments (--, nested /* *\/)
 * keeps its braces as they are.
 */

/** A placeholder the SQL uses: the parameter and, for a date range, which end. */
export interface Placeholder {
  name: string;
  part?: 'from' | 'to';
}

export interface Template {
  /** The SQL with `$n::type` where the placeholders were. */
  sql: string;
  /** What $1 … $n stand for, in order. */
  slots: Placeholder[];
}

const MAX_PLACEHOLDER = 80;

/** PostgreSQL types the values are bound as. */
const CAST: Readonly<Record<ParameterType, string>> = { text: 'text', number: 'numeric', date: 'date', date_range: 'date', choice: 'text' };

export class TemplateError extends Error {}

const isNameStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isNameChar = (c: string) => isNameStart(c) || (c >= '0' && c <= '9');

/** A parameter's name: a letter or _, then letters, digits, _ (at most 63). */
export function isParameterName(name: string): boolean {
  if (name.length === 0 || name.length > 63 || !isNameStart(name[0]!)) return false;
  for (const c of name) if (!isNameChar(c)) return false;
  return true;
}

function parsePlaceholder(inner: string): Placeholder {
  const text = inner.trim();
  const dot = text.indexOf('.');
  const name = dot === -1 ? text : text.slice(0, dot);
  const part = dot === -1 ? undefined : text.slice(dot + 1);
  if (!isParameterName(name)) throw new TemplateError(`{{${text}}} is not a parameter: write {{name}} with letters, digits and _`);
  if (part !== undefined && part !== 'from' && part !== 'to') throw new TemplateError(`{{${text}}}: a date range's ends are {{${name}.from}} and {{${name}.to}}`);
  return part ? { name, part } : { name };
}

/** Where a dollar-quote tag that starts at `at` ends (the index after its closing $), or -1 when it isn't one. */
function dollarTagEnd(sql: string, at: number): number {
  let i = at + 1;
  if (i < sql.length && sql[i] === '$') return i + 1;
  if (i >= sql.length || !isNameStart(sql[i]!)) return -1;
  while (i < sql.length && isNameChar(sql[i]!)) i += 1;
  return i < sql.length && sql[i] === '$' ? i + 1 : -1;
}

/** The placeholders the SQL uses, in order of first use (for saving: each must be a declared parameter). */
export function placeholders(sql: string): Placeholder[] {
  return scan(sql, () => '').slots;
}

/** Replaces the placeholders with typed bind parameters, given each parameter's type. */
export function bindTemplate(sql: string, parameters: readonly QuestionParameter[]): Template {
  const types = new Map(parameters.map((p) => [p.name, p.type]));
  return scan(sql, (slot, index) => {
    const type = types.get(slot.name);
    if (!type) throw new TemplateError(`{{${slot.name}}} is used in the SQL but is not one of the question's parameters`);
    if (type === 'date_range' && !slot.part) throw new TemplateError(`{{${slot.name}}} is a date range: use {{${slot.name}.from}} and {{${slot.name}.to}}`);
    if (type !== 'date_range' && slot.part) throw new TemplateError(`{{${slot.name}.${slot.part}}}: only a date range has .from and .to`);
    return `$${index + 1}::${CAST[type]}`;
  });
}

function scan(sql: string, replace: (slot: Placeholder, index: number) => string): Template {
  const slots: Placeholder[] = [];
  const seen = new Map<string, number>();
  let out = '';
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    let end = i + 1;
    if (c === '-' && next === '-') {
      end = sql.indexOf('\n', i);
      end = end === -1 ? n : end + 1;
    } else if (c === '/' && next === '*') {
      let depth = 1;
      end = i + 2;
      while (end < n && depth > 0) {
        if (sql[end] === '/' && sql[end + 1] === '*') {
          depth += 1;
          end += 2;
        } else if (sql[end] === '*' && sql[end + 1] === '/') {
          depth -= 1;
          end += 2;
        } else end += 1;
      }
    } else if (c === "'") {
      const escapes = i > 0 && (sql[i - 1] === 'E' || sql[i - 1] === 'e') && (i < 2 || !isNameChar(sql[i - 2]!));
      end = i + 1;
      while (end < n) {
        if (escapes && sql[end] === '\\') end += 2;
        else if (sql[end] === "'" && sql[end + 1] === "'") end += 2;
        else if (sql[end] === "'") {
          end += 1;
          break;
        } else end += 1;
      }
    } else if (c === '"') {
      end = i + 1;
      while (end < n) {
        if (sql[end] === '"' && sql[end + 1] === '"') end += 2;
        else if (sql[end] === '"') {
          end += 1;
          break;
        } else end += 1;
      }
    } else if (c === '$' && (i === 0 || !isNameChar(sql[i - 1]!))) {
      const tagEnd = dollarTagEnd(sql, i);
      if (tagEnd !== -1) {
        const tag = sql.slice(i, tagEnd);
        const close = sql.indexOf(tag, tagEnd);
        end = close === -1 ? n : close + tag.length;
      }
    } else if (c === '{' && next === '{') {
      const close = sql.indexOf('}}', i + 2);
      if (close === -1 || close - i > MAX_PLACEHOLDER) throw new TemplateError('a {{ has no matching }} (parameters are written {{name}})');
      const slot = parsePlaceholder(sql.slice(i + 2, close));
      const key = slot.part ? `${slot.name}.${slot.part}` : slot.name;
      let index = seen.get(key);
      if (index === undefined) {
        index = slots.length;
        seen.set(key, index);
        slots.push(slot);
      }
      out += replace(slot, index);
      i = close + 2;
      continue;
    }
    out += sql.slice(i, end);
    i = end;
  }
  return { sql: out, slots };
}
