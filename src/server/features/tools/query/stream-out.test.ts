import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CsvRecordLimiter } from './stream-out';

/** The CSV through a limiter, fed in pieces of the given sizes (cycled). */
async function through(csv: string, limits: { maxRows: number; maxBytes: number }, pieces: number[]) {
  const bytes = Buffer.from(csv);
  const chunks: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = pieces[i % pieces.length]!;
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  const limiter = new CsvRecordLimiter(limits);
  const out: Buffer[] = [];
  Readable.from(chunks).pipe(limiter);
  for await (const chunk of limiter) out.push(chunk as Buffer);
  return { text: Buffer.concat(out).toString(), rows: limiter.rows, truncated: limiter.truncated, bytes: limiter.bytes };
}

const CSV = 'id,note\n1,plain\n2,"two\nlines, ""quoted"""\n3,"a,b"\n4,last\n';

describe('CsvRecordLimiter', () => {
  it('passes everything through and counts records, not newlines, however the chunks fall', async () => {
    for (const pieces of [[1], [2, 5], [7], [3, 1, 4], [1000]]) {
      const result = await through(CSV, { maxRows: 10, maxBytes: 1_000 }, pieces);
      expect(result).toEqual({ text: CSV, rows: 4, truncated: false, bytes: CSV.length });
    }
  });

  it('stops after the row cap at a whole record', async () => {
    for (const pieces of [[1], [5], [1000]]) {
      const result = await through(CSV, { maxRows: 2, maxBytes: 1_000 }, pieces);
      expect(result).toMatchObject({ text: 'id,note\n1,plain\n2,"two\nlines, ""quoted"""\n', rows: 2, truncated: 'rows' });
    }
  });

  it('stops before the record that would pass the size cap, and at a single record bigger than the cap', async () => {
    expect(await through(CSV, { maxRows: 10, maxBytes: 20 }, [3])).toMatchObject({ text: 'id,note\n1,plain\n', rows: 1, truncated: 'bytes' });
    const huge = `id\n${'x'.repeat(5_000)}\n`;
    expect(await through(huge, { maxRows: 10, maxBytes: 1_000 }, [100])).toMatchObject({ text: 'id\n', rows: 0, truncated: 'bytes' });
  });
});
