import { z } from 'zod';
import type { QuestionRun, SaveQuestionResult } from '../../../shared/questions';
import { AppError } from '../../platform/http/errors';
import { define, readOnly, type ToolOutcome } from '../tools/definitions';
import { ToolError } from '../tools/errors';
import { questionInput } from './input';
import { QuestionService } from './service';
import { listQuestions, findQuestion } from './repo';
import { compileQuestion, runSaved } from './run';

/** The saved-question tools of the agent and MCP clients. */

export const listQuestionsTool = define({
  name: 'list_questions',
  description:
    "Lists this domain's saved questions (ids, titles, descriptions, parameters and chart kind), the 100 most recently updated; search narrows them. When the user asks something a saved question answers, run it with run_question instead of writing new SQL.",
  annotations: readOnly('List saved questions'),
  input: z.object({ search: z.string().max(200).optional().describe('Words in the title, description or SQL') }).strict(),
  async run(ctx, args, deps) {
    const rows = await listQuestions(deps.db, ctx.membership.tenant_id, { ...(args.search ? { search: args.search } : {}), limit: 100 });
    const data = rows.map((row) => ({ id: row.id, title: row.title, description: row.description, parameters: row.parameters, chart: row.chart?.kind ?? null, updated_at: row.updated_at.toISOString() }));
    return { data, rows: data.length };
  },
});

export const runQuestionTool = define({
  name: 'run_question',
  description:
    "Runs a saved question (an id from list_questions) with values for its parameters (a date range is {\"from\": \"YYYY-MM-DD\", \"to\": \"YYYY-MM-DD\"}; parameters left out take their defaults). Returns the rows and, when the question has one, its chart.",
  annotations: readOnly('Run a saved question'),
  input: z.object({ id: z.uuid('id must be a question id from list_questions'), parameters: z.record(z.string(), z.unknown()).optional() }).strict(),
  async run(ctx, args, deps): Promise<ToolOutcome<QuestionRun>> {
    const question = await findQuestion(deps.db, ctx.membership.tenant_id, args.id);
    if (!question) throw new ToolError('NOT_FOUND', `No saved question ${args.id} in this domain; call list_questions.`);
    return runSaved(ctx, question, args.parameters, deps);
  },
});

export const saveQuestionTool = define({
  name: 'save_question',
  description:
    'Saves a query as a question the domain can run again, put on dashboards and schedule. Only when the user asks to keep or save it. SQL may use {{name}} placeholders for parameters (declared in parameters; a date range as {{name.from}} and {{name.to}}). In the chat the user confirms before it is saved.',
  // Not destructive: it adds a question and never changes one; not idempotent: each call saves another.
  annotations: { title: 'Save a question', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  input: questionInput,
  async run(ctx, args, deps): Promise<ToolOutcome<SaveQuestionResult>> {
    try {
      if (ctx.channel === 'chat') {
        // The person confirms in the chat (features/chat: the card's Save button posts the draft): nothing is saved yet.
        await compileQuestion(args.sql, args.parameters ?? [], ctx.schemaName);
        const draft = { title: args.title, description: args.description ?? '', sql: args.sql, parameters: args.parameters ?? [], chart: args.chart ?? null };
        return { data: { status: 'needs_confirmation', draft } };
      }
      const question = await new QuestionService(deps.db).create(ctx.membership, args);
      return { data: { status: 'saved', question: { id: question.id, title: question.title } } };
    } catch (error) {
      if (error instanceof AppError && error.status === 400) throw new ToolError('VALIDATION_ERROR', error.message);
      if (error instanceof AppError && error.status === 403) throw new ToolError('FORBIDDEN', error.message);
      throw error;
    }
  },
});

export const QUESTION_TOOLS = [listQuestionsTool, runQuestionTool, saveQuestionTool] as const;
