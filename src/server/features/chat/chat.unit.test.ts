import type { UIMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import type { ToolEnvelope } from '../../../shared/tools';
import { forModel, MODEL_ROWS_PER_RESULT } from './agent-tools';
import { estimateTokens, trimHistory } from './history';
import { systemPrompt } from './prompt';
import { modelErrorMessage, redactKeys } from './service';

const user = (id: string, text: string): UIMessage => ({ id, role: 'user', parts: [{ type: 'text', text }] });
const assistant = (id: string, text: string, withTool = false): UIMessage => ({
  id,
  role: 'assistant',
  parts: [
    ...(withTool ? [{ type: 'tool-query' as const, toolCallId: `c-${id}`, state: 'output-available' as const, input: { sql: 'SELECT 1' }, output: { success: true } }] : []),
    { type: 'text', text },
  ],
});

describe('trimHistory', () => {
  const history = [user('u1', 'a'.repeat(4000)), assistant('a1', 'b'.repeat(4000), true), user('u2', 'c'.repeat(4000)), assistant('a2', 'd'.repeat(4000)), user('u3', 'latest')];

  it('keeps everything that fits', () => {
    expect(trimHistory(history, 100_000)).toEqual(history);
  });

  it('drops whole messages from the start and never opens on an answer', () => {
    const kept = trimHistory(history, 2_500);
    expect(kept.map((m) => m.id)).toEqual(['u2', 'a2', 'u3']);
    // A budget that would cut between a question and its answer drops the orphaned answer too.
    expect(trimHistory(history, 1_200).map((m) => m.id)).toEqual(['u3']);
  });

  it('always keeps the question being asked, even over budget', () => {
    expect(trimHistory([user('big', 'x'.repeat(40_000))], 10).map((m) => m.id)).toEqual(['big']);
  });

  it('keeps a tool call and its output in one message part', () => {
    const kept = trimHistory(history, 100_000);
    const part = kept[1]!.parts[0] as { input: unknown; output: unknown };
    expect(part).toMatchObject({ input: { sql: 'SELECT 1' }, output: { success: true } });
    expect(estimateTokens(kept[1]!)).toBeGreaterThan(1000);
  });
});

describe('forModel', () => {
  it("shows the model a chart's rows and choice, not the spec that repeats the rows", () => {
    const rows = [['household', 3]];
    const envelope: ToolEnvelope = {
      success: true,
      data: { columns: [{ name: 'case_type' }, { name: 'n' }], rows, row_count: 1, truncated: false, chart: { kind: 'bar', x: 'case_type', y: 'n' }, spec: { data: { values: [{ case_type: 'household', n: 3 }] } } },
      tenant_id: 'd',
      schema: 's',
      timing_ms: 1,
    };
    const seen = forModel(envelope) as typeof envelope & { data: Record<string, unknown> };
    expect(seen.data).not.toHaveProperty('spec');
    expect(seen.data).toMatchObject({ rows, chart: { kind: 'bar' } });
  });

  it('shows the model the first rows of a large result and says so', () => {
    const rows = Array.from({ length: 500 }, (_, i) => [i]);
    const envelope: ToolEnvelope = { success: true, data: { columns: [{ name: 'n' }], rows, row_count: 500, truncated: false }, tenant_id: 'd', schema: 's', timing_ms: 1 };
    const seen = forModel(envelope) as typeof envelope & { data: { rows: unknown[]; row_count: number } };
    expect(seen.data.rows).toHaveLength(MODEL_ROWS_PER_RESULT);
    expect(seen.data.row_count).toBe(500);
    expect(seen.warnings?.[0]).toContain(`first ${MODEL_ROWS_PER_RESULT} of 500 rows`);
    expect(forModel({ ...envelope, data: { rows: rows.slice(0, 3) } })).toEqual({ ...envelope, data: { rows: rows.slice(0, 3) } });
    const failure: ToolEnvelope = { success: false, error: { code: 'QUERY_REJECTED', message: 'no' } };
    expect(forModel(failure)).toBe(failure);
  });
});

describe('systemPrompt', () => {
  const base = { tenantName: 'Demo Clinic', domain: 'demo-clinic', lastSyncAt: null, syncRunning: false, maxRows: 500, now: new Date('2026-11-22T10:00:00Z') };

  it('asks to sync when there is no data, and says when a sync is running', () => {
    expect(systemPrompt({ ...base, tables: [] })).toContain('No data has been loaded yet');
    expect(systemPrompt({ ...base, tables: [], syncRunning: true })).toContain('being loaded from CommCare right now');
  });

  it('lists the tables with counts, the row cap, the dialect and the date', () => {
    const prompt = systemPrompt({ ...base, lastSyncAt: new Date('2026-11-21T09:00:00Z'), tables: [{ name: 'cases', kind: 'table', row_count: 42, description: 'Every case' }] });
    expect(prompt).toContain('- cases (table, 42 rows): Every case');
    expect(prompt).toContain('Last synced from CommCare: 2026-11-21T09:00:00.000Z');
    expect(prompt).toContain('At most 500 rows');
    expect(prompt).toContain('PostgreSQL dialect');
    expect(prompt).toContain('Today is 2026-11-22');
  });
});

describe('provider errors', () => {
  it('are told in plain words by status, unwrapping retries', () => {
    expect(modelErrorMessage({ statusCode: 401 })).toContain('refused Scout’s API key');
    expect(modelErrorMessage({ lastError: { statusCode: 429 } })).toContain('rate limiting');
    expect(modelErrorMessage({ statusCode: 502 })).toContain('having problems');
    expect(modelErrorMessage({ statusCode: 404 })).toContain('SCOUT_MODEL');
    expect(modelErrorMessage(new Error('socket hang up'))).toContain('Try again');
  });

  it('are logged with key-like strings blanked', () => {
    expect(redactKeys('Incorrect API key provided: sk-proj-abcdef123456. Bearer eyJhbGciOiJIUzI1NiJ9abcdefghijklmnopqrstuv')).toBe('Incorrect API key provided: [redacted]. [redacted]');
  });
});
