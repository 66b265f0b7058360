import type { Kysely } from 'kysely';
import { ERROR_CODES } from '../../../shared/errors';
import type { Question } from '../../../shared/questions';
import type { Database } from '../../platform/db/schema';
import { AppError, notFound } from '../../platform/http/errors';
import { authorize } from '../../platform/permissions';
import type { MembershipRow } from '../tenants/repo';
import type { QuestionInput, QuestionPatch } from './input';
import { canEdit } from './policy';
import { presentQuestion } from './presenter';
import { findQuestion, listQuestions, schedulesOf, type QuestionRow } from './repo';
import { compileQuestion } from './run';

const LIST_MAX = 200;

/** A domain's saved questions: every member sees them; their authors, owners and admins change them. */
export class QuestionService {
  constructor(private readonly db: Kysely<Database>) {}

  async list(membership: MembershipRow, options: { search?: string; limit?: number } = {}): Promise<Question[]> {
    const rows = await listQuestions(this.db, membership.tenant_id, { ...(options.search ? { search: options.search } : {}), limit: Math.min(Math.max(options.limit ?? 100, 1), LIST_MAX) });
    const schedules = await schedulesOf(this.db, 'question_id', rows.map((row) => row.id));
    return rows.map((row) => presentQuestion(row, membership, schedules.get(row.id)));
  }

  async get(membership: MembershipRow, id: string): Promise<Question> {
    const row = await this.row(membership, id);
    const schedules = await schedulesOf(this.db, 'question_id', [row.id]);
    return presentQuestion(row, membership, schedules.get(row.id));
  }

  /** The stored question (404 for another tenant's), for runs and for other features. */
  async row(membership: Pick<MembershipRow, 'tenant_id'>, id: string): Promise<QuestionRow> {
    const row = await findQuestion(this.db, membership.tenant_id, id);
    if (!row) throw notFound('This question');
    return row;
  }

  async create(membership: MembershipRow, input: QuestionInput): Promise<Question> {
    authorize(membership, 'questions.create');
    const parameters = input.parameters ?? [];
    await compileQuestion(input.sql, parameters, membership.schema_name);
    const inserted = await this.db
      .insertInto('question')
      .values({
        tenant_id: membership.tenant_id,
        author_user_id: membership.user_id,
        title: input.title,
        description: input.description ?? '',
        sql: input.sql,
        parameters: JSON.stringify(parameters),
        chart: input.chart ? JSON.stringify(input.chart) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return this.get(membership, inserted.id);
  }

  async update(membership: MembershipRow, id: string, patch: QuestionPatch): Promise<Question> {
    const row = await this.editable(membership, id);
    const sql = patch.sql ?? row.sql;
    const parameters = patch.parameters ?? row.parameters;
    if (patch.sql !== undefined || patch.parameters !== undefined) await compileQuestion(sql, parameters, membership.schema_name);
    await this.db
      .updateTable('question')
      .set({
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.sql !== undefined ? { sql: patch.sql } : {}),
        ...(patch.parameters !== undefined ? { parameters: JSON.stringify(patch.parameters) } : {}),
        ...(patch.chart !== undefined ? { chart: patch.chart ? JSON.stringify(patch.chart) : null } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', row.id)
      .execute();
    return this.get(membership, row.id);
  }

  async remove(membership: MembershipRow, id: string): Promise<void> {
    const row = await this.editable(membership, id);
    await this.db.deleteFrom('question').where('id', '=', row.id).execute();
  }

  /** The question when the member may change it: 404 when it isn't the domain's, 403 when it isn't theirs to change. */
  async editable(membership: MembershipRow, id: string): Promise<QuestionRow> {
    const row = await this.row(membership, id);
    if (!canEdit(membership, row.author_user_id)) {
      throw new AppError(403, ERROR_CODES.forbidden, "Only the question's author, and the domain's owners and admins, can change it.");
    }
    return row;
  }
}
