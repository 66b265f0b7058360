import type { Kysely, Selectable } from 'kysely';
import type { Database, QuestionTable, ScheduleTable } from '../../platform/db/schema';
import { isUuid } from '../tenants/repo';

export type QuestionRow = Selectable<QuestionTable> & { author_name: string | null };

function questions(db: Kysely<Database>) {
  return db.selectFrom('question as q').leftJoin('user as u', 'u.id', 'q.author_user_id').selectAll('q').select('u.name as author_name');
}

/** A question of the tenant, or undefined (another tenant's question is as absent as a missing one). */
export async function findQuestion(db: Kysely<Database>, tenantId: string, id: string): Promise<QuestionRow | undefined> {
  if (!isUuid(id)) return undefined;
  return questions(db).where('q.tenant_id', '=', tenantId).where('q.id', '=', id).executeTakeFirst();
}

/** `%` and `_` are patterns in ILIKE: a search for them means the characters. */
export function likePattern(search: string): string {
  let escaped = '';
  for (const char of search) escaped += char === '%' || char === '_' || char === '\\' ? `\\${char}` : char;
  return `%${escaped}%`;
}

export async function listQuestions(db: Kysely<Database>, tenantId: string, options: { search?: string; limit: number }): Promise<QuestionRow[]> {
  let query = questions(db).where('q.tenant_id', '=', tenantId);
  const search = options.search?.trim();
  if (search) {
    const pattern = likePattern(search);
    query = query.where((eb) => eb.or([eb('q.title', 'ilike', pattern), eb('q.description', 'ilike', pattern), eb('q.sql', 'ilike', pattern)]));
  }
  return query.orderBy('q.updated_at', 'desc').orderBy('q.id').limit(options.limit).execute();
}

/** The schedules of these questions or dashboards, by their id. */
export async function schedulesOf(db: Kysely<Database>, column: 'question_id' | 'dashboard_id', ids: string[]): Promise<Map<string, Selectable<ScheduleTable>>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('schedule').selectAll().where(column, 'in', ids).execute();
  return new Map(rows.map((row) => [row[column]!, row]));
}
