import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { checkSync } from 'recheck';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every regular expression in Scout's code and the simulator, checked by a
 * ReDoS analyser (recheck: automaton analysis plus fuzzing with attack
 * strings). Anything but `safe` (linear time) fails: a quadratic pattern on a
 * 10k-character input is already a request that holds the event loop.
 * A RegExp built from a non-literal can't be checked, so it fails too.
 */

interface Found {
  where: string;
  source: string;
  flags: string;
}

function sourceFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', 'src', 'simulator'], { encoding: 'utf8' });
  return listed.split('\n').filter((file) => /\.(ts|tsx|mts)$/.test(file));
}

function regexesIn(file: string): { found: Found[]; dynamic: string[] } {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Found[] = [];
  const dynamic: string[] = [];
  const where = (node: ts.Node) => `${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
  const visit = (node: ts.Node) => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const text = node.getText(source);
      const end = text.lastIndexOf('/');
      found.push({ where: where(node), source: text.slice(1, end), flags: text.slice(end + 1) });
    } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && node.expression.getText(source) === 'RegExp') {
      const [pattern, flags] = node.arguments ?? [];
      if (pattern && ts.isStringLiteralLike(pattern) && (!flags || ts.isStringLiteralLike(flags))) {
        found.push({ where: where(node), source: pattern.text, flags: flags && ts.isStringLiteralLike(flags) ? flags.text : '' });
      } else {
        dynamic.push(where(node));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { found, dynamic };
}

describe('regular expressions', () => {
  const files = sourceFiles();
  const all = files.map(regexesIn);
  const regexes = all.flatMap((r) => r.found);

  it('finds the code base (the scan itself works)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(regexes.length).toBeGreaterThan(100);
  });

  it('builds none from non-literal strings (they could not be checked)', () => {
    expect(all.flatMap((r) => r.dynamic)).toEqual([]);
  });

  it('are all linear in the length of their input', { timeout: 120_000 }, () => {
    const unsafe = regexes
      .map((regex) => ({ ...regex, diagnostics: diagnose(regex.source, regex.flags) }))
      .filter((regex) => regex.diagnostics.status !== 'safe')
      .map((regex) => `${regex.where} /${regex.source}/${regex.flags}: ${regex.diagnostics.status}${regex.diagnostics.status === 'vulnerable' ? ` (${regex.diagnostics.complexity.type})` : ''}`);
    expect(unsafe).toEqual([]);
  });
});

/**
 * recheck's verdict. Its analysis has a time budget, and on a busy machine a
 * long literal can use it up ("unknown"): such a regex gets a second, longer
 * look instead of failing on the machine's load.
 */
function diagnose(source: string, flags: string) {
  const first = checkSync(source, flags);
  return first.status === 'unknown' ? checkSync(source, flags, { timeout: 60_000 }) : first;
}
