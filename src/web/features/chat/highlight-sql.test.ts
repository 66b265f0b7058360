import { describe, expect, it } from 'vitest';
import { highlightSql } from './highlight-sql';

describe('highlightSql', () => {
  it('marks keywords, strings, numbers, quoted names and comments, losing nothing', () => {
    const sql = `SELECT "case type", count(*) FROM cases -- all\nWHERE name = 'O''Brien' AND n > 2.5`;
    const tokens = highlightSql(sql);
    expect(tokens.map((t) => t.text).join('')).toBe(sql);
    const kinds = (kind: string) => tokens.filter((t) => t.kind === kind).map((t) => t.text);
    expect(kinds('keyword')).toEqual(['SELECT', 'count', 'FROM', 'WHERE', 'AND']);
    expect(kinds('string')).toEqual(["'O''Brien'"]);
    expect(kinds('identifier')).toEqual(['"case type"']);
    expect(kinds('number')).toEqual(['2.5']);
    expect(kinds('comment')).toEqual(['-- all']);
  });
});
