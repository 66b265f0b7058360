import { saveUrl } from '@/lib/save-url';
import { trimBoth } from '@shared/text';
/** A cell as text: null is empty, objects and arrays (json, arrays) are JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value as string | number | boolean | bigint);
}

/** RFC 4180: a field with a comma, quote, line break or edge spaces is quoted, its quotes doubled. */
export function csvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header line and one line per row, CRLF-separated as spreadsheets expect. */
export function toCsv(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [columns.map(csvField), ...rows.map((row) => columns.map((_, index) => csvField(cellText(row[index]))))];
  return lines.map((fields) => fields.join(',')).join('\r\n') + '\r\n';
}

/** "my-domain-query.csv": the domain name kept to what every file system accepts. */
export function csvFileName(domain: string): string {
  const safe = trimBoth(domain.replace(/[^\w.-]+/g, '-'), '-');
  return `${safe || 'domain'}-query.csv`;
}

/** Saves `csv` as a file in the browser; the BOM makes spreadsheets read it as UTF-8. */
export function downloadCsv(fileName: string, csv: string): void {
  saveUrl(URL.createObjectURL(new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' })), fileName);
}
