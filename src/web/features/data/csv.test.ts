import { describe, expect, it } from 'vitest';
import { cellText, csvFileName, toCsv } from './csv';

describe('toCsv', () => {
  it('writes a header and CRLF-separated rows, quoting only what needs it', () => {
    const csv = toCsv(
      ['name', 'note', 'n'],
      [
        ['plain', 'has, comma', 1],
        ['say "hi"', 'two\nlines', null],
        [' padded', true, { a: [1, 2] }],
      ],
    );
    expect(csv).toBe(
      'name,note,n\r\nplain,"has, comma",1\r\n"say ""hi""","two\nlines",\r\n" padded",true,"{""a"":[1,2]}"\r\n',
    );
  });

  it('writes only the header for no rows', () => {
    expect(toCsv(['a', 'b'], [])).toBe('a,b\r\n');
  });
});

describe('cellText', () => {
  it('writes null as nothing and keeps big numbers as the server sent them', () => {
    expect(cellText(null)).toBe('');
    expect(cellText('12345678901234567890')).toBe('12345678901234567890');
    expect(cellText(['a', 'b'])).toBe('["a","b"]');
  });
});

describe('csvFileName', () => {
  it('names the file after the domain, safely', () => {
    expect(csvFileName('demo-clinic')).toBe('demo-clinic-query.csv');
    expect(csvFileName('a/b c')).toBe('a-b-c-query.csv');
    expect(csvFileName('///')).toBe('domain-query.csv');
  });
});
