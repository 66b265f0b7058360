import { storableText, textProblem } from '../../../shared/text';

/**
 * Deeper JSON than this is refused. Nothing Scout accepts nests beyond a few
 * levels; recursive code (JSON.stringify, validators) overflows the stack
 * somewhere past a few thousand.
 */
export const MAX_JSON_DEPTH = 64;

export interface JsonCheckOptions {
  /** Also apply the text rule (no NUL, no unpaired surrogates) to every key and string. */
  text: boolean;
  maxDepth?: number;
}

/**
 * Checks a parsed JSON value without recursion; returns field messages keyed
 * by path ('config.name', '_' for the body itself), or undefined when it is fine.
 */
export function checkJson(value: unknown, options: JsonCheckOptions): Record<string, string[]> | undefined {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  const fields: Record<string, string[]> = {};
  const stack: Array<{ value: unknown; path: string[]; depth: number }> = [{ value, path: [], depth: 0 }];
  const report = (path: string[], message: string) => (fields[path.length > 0 ? path.join('.') : '_'] ??= []).push(message);
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value === 'string') {
      const problem = options.text ? textProblem(item.value) : undefined;
      if (problem) report(item.path, problem);
      continue;
    }
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth >= maxDepth) {
      report([], `The request body nests deeper than ${maxDepth} levels`);
      return fields;
    }
    const entries = Array.isArray(item.value) ? item.value.map((v, i) => [String(i), v] as const) : Object.entries(item.value);
    for (const [key, child] of entries) {
      const path = [...item.path, key];
      const keyProblem = options.text && !Array.isArray(item.value) ? textProblem(key) : undefined;
      if (keyProblem) report(path, `the name ${keyProblem}`);
      stack.push({ value: child, path, depth: item.depth + 1 });
    }
  }
  return Object.keys(fields).length > 0 ? fields : undefined;
}

/** A copy whose text PostgreSQL can store (for records kept whatever came in, such as the audit log). */
export function storableJson(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(storableJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [storableText(key), storableJson(child)]));
  }
  return value;
}
