import { describe, expect, it } from 'vitest';
import { dashboardText, isSettled, publicationTitle, questionText, resultSummary, tableExcerpt } from './compose';

const byType = {
  columns: [{ name: 'case_type' }, { name: 'cases' }],
  rows: [
    ['child', 80],
    ['household', 1234],
  ],
  row_count: 2,
  truncated: false,
};

describe('the compose dialog prefill', () => {
  it('reads a label and its number as one line each, after the row count', () => {
    expect(resultSummary(byType)).toBe('2 rows:\nchild: 80 cases\nhousehold: 1,234 cases');
  });

  it('reads a single row as its columns and values', () => {
    expect(resultSummary({ columns: [{ name: 'cases' }, { name: 'closed' }], rows: [['150', 12]] })).toBe('cases: 150, closed: 12.');
  });

  it('names the first five lines and counts the rest', () => {
    const rows = Array.from({ length: 8 }, (_, i) => [`t${i}`, i]);
    const text = resultSummary({ columns: [{ name: 'type' }, { name: 'n' }], rows });
    expect(text.split('\n')).toHaveLength(7);
    expect(text).toContain('… and 3 more.');
  });

  it('says a truncated result has at least its rows', () => {
    expect(resultSummary({ ...byType, truncated: true })).toMatch(/^At least 2 rows:/);
  });

  it('starts a question with its description, leaving the title to the post', () => {
    expect(questionText(byType, ' Open cases. ')).toBe('Open cases.\n\n2 rows:\nchild: 80 cases\nhousehold: 1,234 cases');
    expect(questionText(byType)).toBe('2 rows:\nchild: 80 cases\nhousehold: 1,234 cases');
  });

  it('sums a dashboard up by its big numbers, then its charts, leaving out notes and tiles without data', () => {
    const text = dashboardText('', [
      { title: 'Open cases', kind: 'number', result: { columns: [{ name: 'n' }], rows: [[1500]] } },
      { title: 'Note', kind: 'text' },
      { title: 'By type', kind: 'question', result: byType },
      { title: 'Failed tile', kind: 'number' },
    ]);
    expect(text).toBe('Open cases: 1,500\n\nBy type: 2 rows');
  });

  it('excerpts at most the first rows, every cell as text', () => {
    const rows = Array.from({ length: 30 }, (_, i) => [i, null, { a: i }]);
    const excerpt = tableExcerpt({ columns: [{ name: 'i' }, { name: 'empty' }, { name: 'json' }], rows });
    expect(excerpt.columns).toEqual(['i', 'empty', 'json']);
    expect(excerpt.rows).toHaveLength(20);
    expect(excerpt.rows[3]).toEqual(['3', '', '{"a":3}']);
  });

  it('keeps an excerpt within what the server takes: 20 columns, 500 characters a cell', () => {
    const columns = Array.from({ length: 25 }, (_, i) => ({ name: `c${i}` }));
    const excerpt = tableExcerpt({ columns, rows: [columns.map(() => 'x'.repeat(600))] });
    expect(excerpt.columns).toHaveLength(20);
    expect(excerpt.rows[0]![0]).toHaveLength(500);
  });

  it('shortens a title to what the server accepts', () => {
    expect(publicationTitle('x'.repeat(300))).toHaveLength(200);
    expect(publicationTitle('  Short  ')).toBe('Short');
  });

  it('keeps polling only while it is being published', () => {
    expect(isSettled('approved')).toBe(false);
    expect(isSettled('published')).toBe(true);
    expect(isSettled('failed')).toBe(true);
  });
});
