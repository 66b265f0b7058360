import { ERROR_CODES } from '../../../shared/errors';
import type { ChartSpec } from '../../../shared/charts/spec';
import { AppError } from '../../platform/http/errors';
import { checkSpec } from '../charts/allow-list';
import { renderChart } from '../charts/render';
import { RenderQueue } from '../charts/render-queue';

/** Rows a published chart may carry (its spec holds its data). */
const MAX_CHART_ROWS = 5_000;
const IMAGE_SIZE = { width: 1200, height: 675 };
const renders = new RenderQueue(1, 8);
const FIT = { type: 'fit', contains: 'padding' };

/**
 * A chart someone attached: a Vega-Lite spec with inline rows. Its spec passes
 * the same allow-list as the agent's (no URLs, no expressions beyond the list),
 * its data is inline values only.
 */
export function checkedChart(raw: Record<string, unknown>): ChartSpec {
  const data = raw.data as { values?: unknown } | undefined;
  const values = data && typeof data === 'object' ? data.values : undefined;
  const refuse = (message: string) => new AppError(400, ERROR_CODES.validation, `The chart was refused: ${message}`, { chart: [message] });
  if (!Array.isArray(values)) throw refuse('it needs its rows inline (data.values)');
  if (values.length > MAX_CHART_ROWS) throw refuse(`at most ${MAX_CHART_ROWS} rows`);
  if (!values.every((row) => row !== null && typeof row === 'object' && !Array.isArray(row))) throw refuse('each row is an object');
  // Scout's own specs size themselves to fit (buildSpec); that one setting is kept, as Scout writes it.
  const { data: _data, autosize, ...spec } = raw;
  const check = checkSpec(spec);
  if (!check.ok) throw refuse(check.errors.join('; '));
  const fit = JSON.stringify(autosize) === JSON.stringify(FIT) ? { autosize: FIT } : {};
  return { ...check.spec, ...fit, data: { values } } as ChartSpec;
}

/** The chart as a PNG for the target, or undefined when the renderer is busy or the chart can't be drawn. */
export async function chartImage(spec: ChartSpec): Promise<Buffer | undefined> {
  const rendered = await renders.run(() => renderChart(spec, IMAGE_SIZE)).catch(() => undefined);
  return rendered?.png;
}
