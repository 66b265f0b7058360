import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../../../shared/errors';
import { EXPORT_ID_HEADER, type ExportStatus } from '../../../shared/exports';
import type { ToolCallEntry } from '../../../shared/tools';
import { connectedMember, type Member } from '../../../../test/support/members';
import { startScoutWithSimulator, type SimulatedScout } from '../../../../test/support/scout';

const ROW_CAP = 3_000;
let scout: SimulatedScout;
let clinic: Member;
let other: Member;

beforeAll(async () => {
  scout = await startScoutWithSimulator({ seed: 7, domains: ['demo-clinic', 'other-project'], cases: 150, formsPerCase: 1 }, { worker: true, app: { exportLimits: { maxRows: ROW_CAP } } });
  clinic = await connectedMember(scout.baseUrl, 'demo-clinic', { name: 'Export User' });
  other = await connectedMember(scout.baseUrl, 'other-project', { name: 'Other User' });
});
afterAll(async () => {
  await scout?.stop();
});

const exportAs = (m: Member, body: unknown) => m.client.post(`/api/tenants/${m.membershipId}/exports`, body);

async function statusOf(m: Member, id: string): Promise<ExportStatus> {
  // The outcome is recorded as the stream ends: give it a moment.
  for (let i = 0; ; i++) {
    const status = (await (await m.client.get(`/api/tenants/${m.membershipId}/exports/${id}`)).json()) as ExportStatus;
    if (status.state !== 'running' || i > 100) return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Records of CSV text, quotes and newlines inside quoted fields respected. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted && char === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && char === ',') {
      record.push(field);
      field = '';
    } else if (!quoted && char === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else {
      field += char;
    }
  }
  return records;
}

describe('exports', () => {
  it('streams the whole result as CSV, far past the query tool’s 500 rows, with quotes and newlines intact', async () => {
    const response = await exportAs(clinic, { sql: `SELECT n, CASE WHEN n = 2 THEN E'two\\nlines, "quoted"' ELSE 'plain' END AS note FROM generate_series(1, 2500) AS n ORDER BY n` });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="demo-clinic-\d{4}-\d{2}-\d{2}-\d{4}\.csv"$/);
    const records = parseCsv(await response.text());
    expect(records[0]).toEqual(['n', 'note']);
    expect(records).toHaveLength(2501);
    expect(records[2]).toEqual(['2', 'two\nlines, "quoted"']);
    expect(records.at(-1)).toEqual(['2500', 'plain']);
    const status = await statusOf(clinic, response.headers.get(EXPORT_ID_HEADER)!);
    expect(status).toMatchObject({ state: 'completed', rows: 2500, format: 'csv', message: null });
  });

  it('exports a case table through the same role as queries', async () => {
    const response = await exportAs(clinic, { sql: 'SELECT case_id, case_type, date_opened FROM cases' });
    const records = parseCsv(await response.text());
    expect(records).toHaveLength(151);
    expect(records[0]).toEqual(['case_id', 'case_type', 'date_opened']);
  });

  it('stops at the row cap with whole records, and says so in the status', async () => {
    const response = await exportAs(clinic, { sql: 'SELECT n FROM generate_series(1, 10000) AS n', request_id: crypto.randomUUID() });
    const records = parseCsv(await response.text());
    expect(records).toHaveLength(ROW_CAP + 1);
    expect(records.at(-1)).toEqual([String(ROW_CAP)]);
    const status = await statusOf(clinic, response.headers.get(EXPORT_ID_HEADER)!);
    expect(status).toMatchObject({ state: 'truncated', rows: ROW_CAP, message: expect.stringContaining(`cap of ${ROW_CAP.toLocaleString('en')} rows`) });
  });

  it('writes an Excel workbook with numbers as numbers and an About sheet', async () => {
    const response = await exportAs(clinic, { sql: "SELECT n, n * 1.5 AS half_more, 'row ' || n AS label, DATE '2024-03-01' + n AS day FROM generate_series(1, 1200) AS n", format: 'xlsx' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/\.xlsx"$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.getWorksheet('Result')!;
    expect(sheet.rowCount).toBe(1201);
    expect(sheet.getRow(1).values).toEqual([undefined, 'n', 'half_more', 'label', 'day']);
    expect(sheet.getRow(3).getCell(1).value).toBe(2);
    expect(sheet.getRow(3).getCell(2).value).toBe(3);
    expect(sheet.getRow(3).getCell(4).value).toEqual(new Date('2024-03-03T00:00:00Z'));
    expect(workbook.getWorksheet('About')!.getRow(4).values).toEqual([undefined, 'Complete', 'Yes']);
  });

  it('refuses what the query tool refuses, field by field, before writing anything', async () => {
    const write = await exportAs(clinic, { sql: 'DELETE FROM cases' });
    expect(write.status).toBe(400);
    expect((await write.json()) as ApiErrorBody).toMatchObject({ code: 'QUERY_REJECTED', fields: { sql: [expect.stringContaining('only SELECT')] } });
    const foreign = await exportAs(clinic, { sql: 'SELECT * FROM public."user"' });
    expect(foreign.status).toBe(400);
    const format = await exportAs(clinic, { sql: 'SELECT 1', format: 'pdf' });
    expect(format.status).toBe(400);
    expect(((await format.json()) as ApiErrorBody).fields).toHaveProperty('format');
    const nul = await exportAs(clinic, { sql: 'SELECT 1\u0000' });
    expect(nul.status).toBe(400);
    const trailing = await exportAs(clinic, { sql: 'SELECT 1 AS n; -- done' });
    expect(parseCsv(await trailing.text())).toEqual([['n'], ['1']]);
  });

  it("keeps each member's exports to themselves", async () => {
    const response = await exportAs(clinic, { sql: 'SELECT 1 AS n' });
    await response.text();
    const id = response.headers.get(EXPORT_ID_HEADER)!;
    expect((await other.client.get(`/api/tenants/${other.membershipId}/exports/${id}`)).status).toBe(404);
    expect((await other.client.get(`/api/tenants/${clinic.membershipId}/exports/${id}`)).status).toBe(404);
    expect((await clinic.client.get(`/api/tenants/${clinic.membershipId}/exports/not-an-id`)).status).toBe(404);
  });

  it('cancels a running export by its request id', async () => {
    const requestId = crypto.randomUUID();
    // Sorting the cross join takes minutes before its first row: the export is cancelled while PostgreSQL works.
    const exporting = exportAs(clinic, { sql: 'SELECT a.case_id FROM cases a, cases b, cases c ORDER BY md5(a.case_id || b.case_id || c.case_id)', request_id: requestId });
    let cancelled = 404;
    for (let attempt = 0; attempt < 100 && cancelled === 404; attempt++) {
      cancelled = (await clinic.client.post(`/api/tenants/${clinic.membershipId}/queries/${requestId}/cancel`, '')).status;
      if (cancelled === 404) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(cancelled).toBe(200);
    const response = await exporting;
    await response.text().catch(() => '');
    expect(await statusOf(clinic, requestId)).toMatchObject({ state: 'cancelled', message: expect.stringContaining('cancelled') });
  });

  it('audits every export', async () => {
    const log = (await (await clinic.client.get(`/api/tenants/${clinic.membershipId}/tool-calls`)).json()) as ToolCallEntry[];
    expect(log.find((e) => e.tool === 'export' && e.status === 'success')).toMatchObject({ arguments: { sql: expect.any(String), format: 'csv' }, rows: expect.any(Number) });
    expect(log.find((e) => e.tool === 'export' && e.error_code === 'QUERY_REJECTED')).toBeDefined();
  });
});
