import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { RowBatches, StreamOutcome } from '../tools/query/stream-out';

const NUMERIC_OIDS = new Set([20, 21, 23, 700, 701, 1700]);
const DATE_OID = 1082;
/** Excel refuses longer text in a cell. */
const MAX_CELL_TEXT = 32_767;

/** A value as Excel holds it: numbers as numbers when exact, dates as dates, anything structured as its JSON. */
export function cellValue(value: unknown, typeId: number): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (NUMERIC_OIDS.has(typeId)) {
    const number = Number(value);
    // bigint and numeric beyond 2^53 stay text: Excel would round them silently.
    if (Number.isFinite(number) && (Number.isSafeInteger(number) || !Number.isInteger(number))) return number;
  }
  if (typeId === DATE_OID && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T00:00:00Z`);
  if (typeof value === 'boolean' || typeof value === 'number') return value;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_CELL_TEXT ? `${text.slice(0, MAX_CELL_TEXT - 1)}…` : text;
}

/**
 * Streams an .xlsx workbook of the batches (a sheet of rows with a frozen
 * header, then an "About" sheet saying what was exported and whether a cap
 * stopped it). exceljs writes each row as it comes and drops it.
 */
export function xlsxStream(source: RowBatches, about: { sql: string; domain: string; cap: number }): { stream: PassThrough; outcome: Promise<StreamOutcome>; rows(): number } {
  const stream = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Result', { views: [{ state: 'frozen', ySplit: 1 }] });
  let written = 0;
  const outcome = (async () => {
    sheet.addRow(source.columns.map((column) => column.name)).commit();
    let next = await source.batches.next();
    while (!next.done) {
      for (const row of next.value) sheet.addRow(row.map((value, i) => cellValue(value, source.columns[i]!.typeId))).commit();
      written += next.value.length;
      // Let the response drain before the next batch: memory stays at one batch and the zip writer's buffer.
      if (stream.writableNeedDrain) await new Promise((resolve) => stream.once('drain', resolve));
      next = await source.batches.next();
    }
    const result = next.value;
    sheet.commit();
    const info = workbook.addWorksheet('About');
    info.addRow(['Domain', about.domain]).commit();
    info.addRow(['Exported at (UTC)', new Date().toISOString()]).commit();
    info.addRow(['Rows', result.rows]).commit();
    info.addRow(['Complete', result.truncated ? `No: stopped at the ${result.truncated === 'rows' ? `${about.cap.toLocaleString('en')}-row` : 'size'} cap` : 'Yes']).commit();
    info.addRow(['SQL', about.sql.slice(0, MAX_CELL_TEXT)]).commit();
    info.commit();
    await workbook.commit();
    return result;
  })();
  outcome.catch((error: unknown) => stream.destroy(error as Error));
  return { stream, outcome, rows: () => written };
}
