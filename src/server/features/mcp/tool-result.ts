import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolEnvelope, VisualizeResult } from '../../../shared/tools';
import { renderChart } from '../charts/render';
import { RenderQueue } from '../charts/render-queue';
import type { Logger } from '../../platform/logger';

export const DEFAULT_IMAGE_SIZE = { width: 800, height: 450 };
const renders = new RenderQueue();

/**
 * A tool's envelope as MCP content. Every tool answers with the envelope as
 * JSON text; `visualize` (and `run_question` of a question with a chart) also sends the chart as a PNG drawn on the server
 * (clients such as Claude Desktop show it) and the spec and rows as
 * structured content. Its text leaves the spec out: the rows are in it once.
 */
export async function toCallToolResult(name: string, args: Record<string, unknown>, envelope: ToolEnvelope, logger: Logger): Promise<CallToolResult> {
  if (!envelope.success) return { content: [{ type: 'text', text: JSON.stringify(envelope) }], isError: true };
  // A saved question with a chart comes back drawn like visualize's.
  const drawn = name === 'visualize' || (name === 'run_question' && (envelope.data as { spec?: unknown } | null)?.spec);
  if (!drawn) return { content: [{ type: 'text', text: JSON.stringify(envelope) }] };

  const data = envelope.data as VisualizeResult;
  const { spec: _spec, ...withoutSpec } = data;
  const size = { width: pixels(args.width, DEFAULT_IMAGE_SIZE.width), height: pixels(args.height, DEFAULT_IMAGE_SIZE.height) };
  const image = await renders.run(() => renderChart(data.spec, size)).catch((error: unknown) => {
    logger.warn({ err: { type: (error as Error)?.name, message: (error as Error)?.message } }, 'chart image failed');
    return null;
  });
  const note = image ? [] : [image === undefined ? 'The chart image was not drawn: the server is drawing many charts; call visualize again in a moment.' : 'The chart image could not be drawn; the spec and rows are in the result.'];
  const text = { ...envelope, data: withoutSpec, ...(note.length ? { warnings: [...(envelope.warnings ?? []), ...note] } : {}) };
  return {
    content: [{ type: 'text', text: JSON.stringify(text) }, ...(image ? [{ type: 'image' as const, data: image.png.toString('base64'), mimeType: 'image/png' }] : [])],
    structuredContent: envelope as unknown as Record<string, unknown>,
  };
}

/** The size the tool validated (200–2000 px), or the default. */
function pixels(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) ? value : fallback;
}
