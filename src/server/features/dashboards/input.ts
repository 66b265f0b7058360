import { z } from 'zod';
import { MAX_FILTERS, MAX_TILES, PARAMETER_TYPES, QUESTION_DESCRIPTION_MAX, QUESTION_TITLE_MAX, SHARE_DAYS_MAX, TILE_KINDS, type QuestionParameter } from '../../../shared/questions';
import { parameterValueInput } from '../questions/input';
import { isParameterName } from '../questions/template';
import { checkValue } from '../questions/values';

/** What a dashboard is written as. Which questions its tiles name is checked by the service (they must be the domain's). */

const GRID_COLUMNS = 12;
const tileId = z
  .string()
  .min(1)
  .max(40)
  .refine((id) => [...id].every((c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '-' || c === '_'), 'a tile id is letters, digits, - and _');

const layout = z
  .object({
    x: z.number().int().min(0).max(GRID_COLUMNS - 1),
    y: z.number().int().min(0).max(10_000),
    w: z.number().int().min(1).max(GRID_COLUMNS),
    h: z.number().int().min(1).max(60),
  })
  .strict()
  .refine((l) => l.x + l.w <= GRID_COLUMNS, { message: `a tile fits in ${GRID_COLUMNS} columns (x + w ≤ ${GRID_COLUMNS})`, path: ['w'] });

export const tileInput = z
  .object({
    id: tileId,
    kind: z.enum(TILE_KINDS, { error: `kind is one of ${TILE_KINDS.join(', ')}` }),
    question_id: z.uuid('question_id must be a saved question’s id').optional(),
    display: z.enum(['chart', 'table']).optional(),
    title: z.string().max(120).optional(),
    text: z.string().max(10_000, 'A note is at most 10,000 characters').optional(),
    layout,
    filters: z.record(z.string().max(63), z.string().max(63)).optional(),
  })
  .strict()
  .superRefine((tile, context) => {
    if (tile.kind !== 'text' && !tile.question_id) context.addIssue({ code: 'custom', path: ['question_id'], message: 'a question or number tile needs a question' });
    if (tile.kind === 'text' && tile.text === undefined) context.addIssue({ code: 'custom', path: ['text'], message: 'a text tile needs its text' });
    if (tile.filters && Object.keys(tile.filters).length > MAX_FILTERS) context.addIssue({ code: 'custom', path: ['filters'], message: `at most ${MAX_FILTERS} filters` });
  });

export const filterInput = z
  .object({
    name: z.string().refine(isParameterName, 'a filter name is a letter or _, then letters, digits or _'),
    type: z.enum(PARAMETER_TYPES, { error: `type is one of ${PARAMETER_TYPES.join(', ')}` }),
    label: z.string().max(100).optional(),
    default: parameterValueInput.optional(),
  })
  .strict()
  .superRefine((filter, context) => {
    if (filter.default === undefined) return;
    const checked = checkValue(filter as QuestionParameter, filter.default);
    if ('error' in checked) context.addIssue({ code: 'custom', path: ['default'], message: `the default ${checked.error}` });
  });

const tiles = z.array(tileInput).max(MAX_TILES, `at most ${MAX_TILES} tiles`);
const filters = z.array(filterInput).max(MAX_FILTERS, `at most ${MAX_FILTERS} filters`);

/** Tile ids and filter names are unique, and tiles map only the dashboard's filters. */
function consistent(value: { tiles?: z.infer<typeof tiles>; filters?: z.infer<typeof filters> }, context: z.RefinementCtx): void {
  const ids = new Set<string>();
  value.tiles?.forEach((tile, index) => {
    if (ids.has(tile.id)) context.addIssue({ code: 'custom', path: ['tiles', index, 'id'], message: `tile id ${tile.id} is used twice` });
    ids.add(tile.id);
  });
  const names = new Set<string>();
  value.filters?.forEach((filter, index) => {
    if (names.has(filter.name)) context.addIssue({ code: 'custom', path: ['filters', index, 'name'], message: `filter ${filter.name} is used twice` });
    names.add(filter.name);
  });
  if (value.filters === undefined) return;
  value.tiles?.forEach((tile, index) => {
    for (const name of Object.keys(tile.filters ?? {})) {
      if (!names.has(name)) context.addIssue({ code: 'custom', path: ['tiles', index, 'filters', name], message: `there is no dashboard filter named ${name}` });
    }
  });
}

const title = z.string().trim().min(1, 'Give the dashboard a title').max(QUESTION_TITLE_MAX, `At most ${QUESTION_TITLE_MAX} characters`);
const description = z.string().max(QUESTION_DESCRIPTION_MAX, `At most ${QUESTION_DESCRIPTION_MAX} characters`);

export const dashboardInput = z.object({ title, description: description.optional(), tiles: tiles.optional(), filters: filters.optional() }).strict().superRefine(consistent);
export type DashboardInput = z.infer<typeof dashboardInput>;

export const dashboardPatch = z
  .object({ title: title.optional(), description: description.optional(), tiles: tiles.optional(), filters: filters.optional() })
  .strict()
  .superRefine(consistent);
export type DashboardPatch = z.infer<typeof dashboardPatch>;

export const shareInput = z.object({ days: z.number().int('days is a whole number').min(1, 'at least 1 day').max(SHARE_DAYS_MAX, `at most ${SHARE_DAYS_MAX} days`).optional() }).strict();
