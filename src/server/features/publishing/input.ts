import { z } from 'zod';
import { PUBLICATION_SOURCES, PUBLICATION_TEXT_MAX, PUBLICATION_TITLE_MAX, TABLE_EXCERPT_ROWS } from '../../../shared/publications';

const title = z.string().trim().min(1, 'Give the post a title').max(PUBLICATION_TITLE_MAX, `At most ${PUBLICATION_TITLE_MAX} characters`);
const text = z.string().max(PUBLICATION_TEXT_MAX, `At most ${PUBLICATION_TEXT_MAX.toLocaleString('en')} characters`);
const cell = z.string().max(500, 'a table cell is at most 500 characters');
export const tableInput = z
  .object({
    columns: z.array(cell).min(1).max(20, 'at most 20 columns'),
    rows: z.array(z.array(cell).max(20)).max(TABLE_EXCERPT_ROWS, `at most ${TABLE_EXCERPT_ROWS} rows`),
  })
  .strict();
// A chart is a Vega-Lite spec Scout drew; it is checked against the chart allow-list before it is drawn.
const chart = z.record(z.string(), z.unknown());

export const publicationInput = z
  .object({
    connector_id: z.uuid('Choose where to publish'),
    title,
    text,
    chart: chart.nullable().optional(),
    table: tableInput.nullable().optional(),
    source: z.object({ kind: z.enum(PUBLICATION_SOURCES), id: z.string().max(100).nullable().optional() }).strict().optional(),
    submit: z.boolean().optional(),
  })
  .strict();
export type PublicationBody = z.infer<typeof publicationInput>;

export const publicationPatch = z
  .object({
    connector_id: z.uuid('Choose where to publish').optional(),
    title: title.optional(),
    text: text.optional(),
    chart: chart.nullable().optional(),
    table: tableInput.nullable().optional(),
    submit: z.boolean().optional(),
  })
  .strict();
export type PublicationPatchBody = z.infer<typeof publicationPatch>;

export const previewInput = z
  .object({ connector_id: z.uuid('Choose where to publish'), title, text, table: tableInput.nullable().optional(), has_chart: z.boolean().optional() })
  .strict();

export const rejectInput = z.object({ reason: z.string().max(1_000).optional() }).strict();

export const deliveryInput = z.object({ connector_id: z.uuid('Choose where each run is delivered'), auto_publish: z.boolean().optional() }).strict();
