import { describe, expect, it } from 'vitest';
import { CsvRecordCounter, fileNameFromDisposition } from './export-file';

describe('counting the rows of a CSV as it arrives', () => {
  it('counts data rows below the header, whatever the chunks', () => {
    const counter = new CsvRecordCounter();
    for (const chunk of ['n,na', 'me\r\n1,a\r', '\n2,b\r\n3', ',c\r\n']) counter.push(chunk);
    expect(counter.rows).toBe(3);
  });

  it('does not count line breaks or doubled quotes inside a quoted field', () => {
    const counter = new CsvRecordCounter();
    counter.push('id,note\r\n1,"two\r\nlines, ""quoted"""\r\n2,"x');
    counter.push('\ny"\r\n');
    expect(counter.rows).toBe(2);
  });

  it('counts a last row without a line break, and none for a header alone', () => {
    const counter = new CsvRecordCounter();
    counter.push('n\r\n');
    expect(counter.rows).toBe(0);
    counter.push('1\r\n2');
    expect(counter.rows).toBe(2);
  });
});

describe("an export's file name", () => {
  it('reads the quoted name the server sends', () => {
    expect(fileNameFromDisposition('attachment; filename="demo-clinic-2026-12-02-0514.csv"', 'export.csv')).toBe('demo-clinic-2026-12-02-0514.csv');
  });

  it('prefers the UTF-8 name and never keeps a folder', () => {
    expect(fileNameFromDisposition(`attachment; filename="a.csv"; filename*=UTF-8''caf%C3%A9.xlsx`, 'x')).toBe('café.xlsx');
    expect(fileNameFromDisposition('attachment; filename=../../etc/passwd', 'x')).toBe('passwd');
  });

  it('falls back without a usable header', () => {
    expect(fileNameFromDisposition(null, 'export.csv')).toBe('export.csv');
    expect(fileNameFromDisposition('attachment', 'export.csv')).toBe('export.csv');
  });
});
