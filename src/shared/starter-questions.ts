import type { WarehouseTable } from './warehouse';

/** "case_pregnancy_visit" → "pregnancy visit". */
function humanName(view: string, prefix: string): string {
  return view.slice(prefix.length).replaceAll('_', ' ').trim();
}

/**
 * Questions to start with, built from what this domain actually has: its
 * biggest case types and forms, so each one can be answered. The chat offers
 * them on an empty thread and the MCP server as prompts: one list for both.
 */
export function starterQuestions(tables: readonly (Pick<WarehouseTable, 'name' | 'kind' | 'row_count'> & { columns?: WarehouseTable['columns'] })[], limit = 4): string[] {
  const biggest = (prefix: string) =>
    tables
      .filter((t) => t.kind === 'view' && t.name.startsWith(prefix) && t.row_count > 0)
      .sort((a, b) => b.row_count - a.row_count || a.name.localeCompare(b.name))
      .map((t) => humanName(t.name, prefix));
  const caseTypes = biggest('case_');
  const forms = biggest('form_');
  const has = (name: string) => tables.some((t) => t.name === name && t.row_count > 0);
  const questions: string[] = [];
  if (caseTypes[0]) questions.push(`How many ${caseTypes[0]} cases were opened each month?`);
  if (forms[0]) questions.push(has('users') ? `How many ${forms[0]} forms did each mobile worker submit last month?` : `How many ${forms[0]} forms were submitted in the last 30 days, by user?`);
  // The locations table's level columns, top first (state_name, district_name, …): ask about the second level.
  const levels = (tables.find((t) => t.name === 'locations')?.columns ?? []).filter((c) => c.name.endsWith('_name') && c.name !== 'name').map((c) => c.name.slice(0, -'_name'.length));
  const level = levels[1] ?? levels[0];
  // One answer that ends in a picture, so people learn that Scout draws charts.
  if (caseTypes.length > 1) questions.push('Chart the number of cases of each type');
  if (caseTypes[0] && level && has('locations')) questions.push(`How many open ${caseTypes[0]} cases are there in each ${level.replaceAll('_', ' ')}?`);
  if (caseTypes.length > 1) questions.push(`How many open and closed cases are there of each type?`);
  if (caseTypes[1]) questions.push(`What does a typical ${caseTypes[1]} case look like?`);
  if (forms[1]) questions.push(`Which users submitted the most ${forms[1]} forms?`);
  if (questions.length === 0 && tables.length > 0) questions.push('What data does this domain have?', 'How many cases and forms are there?');
  return questions.slice(0, limit);
}
