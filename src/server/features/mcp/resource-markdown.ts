import type { Question, QuestionParameter } from '../../../shared/questions';
import type { WarehouseTable } from '../../../shared/warehouse';

/**
 * The Markdown an MCP client reads for a resource: what a person or a model
 * needs to use a table or a saved question, in a form both read. Names,
 * labels and descriptions come from CommCare apps and from users, so
 * everything is escaped where Markdown would read it as structure.
 */

/** A table as describe_table answers it (the sample values are left out: they are the domain's data, not its dictionary). */
export type DescribedTable = Pick<WarehouseTable, 'name' | 'kind' | 'description'> & {
  row_count?: number;
  columns: Array<{ name: string; type: string; description: string; nullable?: boolean }>;
};

export function tableMarkdown(domain: string, table: DescribedTable): string {
  const lines = [`# ${line(table.name)} (${table.kind})`, '', `Domain ${line(domain)}.${table.row_count === undefined ? '' : ` ${count(table.row_count, 'row')}.`}`];
  if (table.description) lines.push('', table.description);
  lines.push('', `## Columns (${table.columns.length})`, '', '| Column | Type | Nullable | Description |', '| --- | --- | --- | --- |');
  for (const column of table.columns) {
    lines.push(`| ${cell(column.name)} | ${cell(column.type)} | ${column.nullable === false ? 'no' : 'yes'} | ${cell(column.description)} |`);
  }
  lines.push('', `Query it with the query tool, e.g. \`SELECT * FROM ${table.name} LIMIT 10\`.`);
  return lines.join('\n') + '\n';
}

export function questionMarkdown(domain: string, question: Question): string {
  const author = question.author.name ? ` by ${line(question.author.name)}` : '';
  const lines = [`# ${line(question.title)}`, '', `A saved question of domain ${line(domain)}${author}, updated ${question.updated_at.slice(0, 10)}. Id \`${question.id}\`.`];
  if (question.description) lines.push('', question.description);
  lines.push('', '## SQL', '', fenced(question.sql, 'sql'), '', '## Parameters', '');
  if (question.parameters.length === 0) {
    lines.push('None.');
  } else {
    lines.push('| Name | Type | Label | Default | Choices |', '| --- | --- | --- | --- | --- |');
    for (const parameter of question.parameters) {
      lines.push(`| ${cell(parameter.name)} | ${parameter.type} | ${cell(parameter.label ?? '')} | ${cell(defaultOf(parameter))} | ${cell(choicesOf(parameter))} |`);
    }
  }
  if (question.chart) lines.push('', '## Chart', '', `${question.chart.kind}${question.chart.x ? `, x: ${line(question.chart.x)}` : ''}${question.chart.y ? `, y: ${line(question.chart.y)}` : ''}${question.chart.series ? `, series: ${line(question.chart.series)}` : ''}`);
  lines.push('', `Run it with the run_question tool: {"id": "${question.id}"${question.parameters.length ? ', "parameters": {…}' : ''}}.`);
  return lines.join('\n') + '\n';
}

function defaultOf(parameter: QuestionParameter): string {
  if (parameter.default === undefined) return 'required';
  return typeof parameter.default === 'object' ? `${parameter.default.from} to ${parameter.default.to}` : String(parameter.default);
}

function choicesOf(parameter: QuestionParameter): string {
  if (parameter.options?.values) return parameter.options.values.join(', ');
  if (parameter.options?.table && parameter.options.column) return `values of ${parameter.options.table}.${parameter.options.column}`;
  return '';
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

/** Text on one line (a heading, a sentence): a newline in a name would start a block of its own. */
function line(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

/** Text in a table cell: a `|` would end the cell. */
function cell(text: string): string {
  return line(text).replaceAll('\\', '\\\\').replaceAll('|', '\\|');
}

/** A code block whose fence is longer than any run of backticks inside it, so the code cannot close it. */
function fenced(code: string, language: string): string {
  let longest = 0;
  let run = 0;
  for (const char of code) {
    run = char === '`' ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${code}\n${fence}`;
}
