import type { ParameterValue, Question, QuestionParameter, QuestionRun, Schedule, ScheduledRun, ScheduleInput } from '@shared/questions';
import type { ChartConfig } from '@shared/charts/types';
import { api, type RequestOptions } from './client';

export type { Question, QuestionParameter, QuestionRun, Schedule, ScheduleInput };

/** What saving a question sends; editing sends any part of it. */
export interface QuestionInput {
  title: string;
  description?: string;
  sql: string;
  parameters?: QuestionParameter[];
  chart?: ChartConfig | null;
}

const questionsPath = (membershipId: string) => `/api/tenants/${encodeURIComponent(membershipId)}/questions`;
const questionPath = (membershipId: string, id: string) => `${questionsPath(membershipId)}/${encodeURIComponent(id)}`;

/** Saved questions of a domain: SQL with typed parameters and a chart, run on demand or on a schedule. */
export const questionsApi = {
  /** `search` matches the title, description and SQL. */
  list: (membershipId: string, { search }: { search?: string } = {}, options?: RequestOptions) => {
    const query = search ? `?${new URLSearchParams({ search }).toString()}` : '';
    return api.get<Question[]>(`${questionsPath(membershipId)}${query}`, options);
  },

  get: (membershipId: string, id: string, options?: RequestOptions) => api.get<Question>(questionPath(membershipId, id), options),

  create: (membershipId: string, input: QuestionInput) => api.post<Question>(questionsPath(membershipId), input),

  update: (membershipId: string, id: string, patch: Partial<QuestionInput>) => api.patch<Question>(questionPath(membershipId, id), patch),

  remove: (membershipId: string, id: string) => api.delete<undefined>(questionPath(membershipId, id)),

  /** Runs it with these values (the others take their defaults). */
  run: (membershipId: string, id: string, parameters: Record<string, ParameterValue>, options?: RequestOptions) =>
    api.post<QuestionRun>(`${questionPath(membershipId, id)}/run`, { parameters }, options),

  /** The values a choice parameter offers. */
  parameterValues: (membershipId: string, id: string, name: string, options?: RequestOptions) =>
    api.get<{ values: string[] }>(`${questionPath(membershipId, id)}/parameters/${encodeURIComponent(name)}/values`, options),

  setSchedule: (membershipId: string, id: string, input: ScheduleInput) => api.put<Schedule>(`${questionPath(membershipId, id)}/schedule`, input),

  removeSchedule: (membershipId: string, id: string) => api.delete<undefined>(`${questionPath(membershipId, id)}/schedule`),

  runScheduleNow: (membershipId: string, id: string) => api.post<ScheduledRun>(`${questionPath(membershipId, id)}/schedule/run`, {}),
};
