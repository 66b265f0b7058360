import { z } from 'zod';
import {
  MAX_PARAMETERS,
  PARAMETER_TYPES,
  QUESTION_DESCRIPTION_MAX,
  QUESTION_TITLE_MAX,
  type QuestionParameter,
} from '../../../shared/questions';
import { chartInput } from '../tools/definitions';
import { isParameterName } from './template';
import { checkValue } from './values';

/** What a question is written as, over REST and by the save_question tool. */

const isoDate = z.string().length(10, 'write dates as YYYY-MM-DD');
export const parameterValueInput = z.union([z.string().max(1_000), z.number(), z.object({ from: isoDate, to: isoDate }).strict()]);

export const parameterInput = z
  .object({
    name: z.string().refine(isParameterName, 'a parameter name is a letter or _, then letters, digits or _ (at most 63)'),
    type: z.enum(PARAMETER_TYPES, { error: `type is one of ${PARAMETER_TYPES.join(', ')}` }),
    label: z.string().max(100, 'at most 100 characters').optional(),
    default: parameterValueInput.optional(),
    options: z
      .object({
        table: z.string().min(1).max(63).optional(),
        column: z.string().min(1).max(128).optional(),
        values: z.array(z.string().max(200)).max(200, 'at most 200 choices').optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const parametersInput = z
  .array(parameterInput)
  .max(MAX_PARAMETERS, `at most ${MAX_PARAMETERS} parameters`)
  .superRefine((parameters, context) => {
    const seen = new Set<string>();
    parameters.forEach((parameter, index) => {
      if (seen.has(parameter.name)) context.addIssue({ code: 'custom', path: [index, 'name'], message: `${parameter.name} is used twice` });
      seen.add(parameter.name);
      if (parameter.default !== undefined) {
        const checked = checkValue(parameter as QuestionParameter, parameter.default);
        if ('error' in checked) context.addIssue({ code: 'custom', path: [index, 'default'], message: `the default ${checked.error}` });
      }
      if (parameter.type === 'choice' && !parameter.options?.values?.length && !(parameter.options?.table && parameter.options.column)) {
        context.addIssue({ code: 'custom', path: [index, 'options'], message: 'a choice needs options.values, or options.table and options.column to offer' });
      }
    });
  });

const title = z.string().trim().min(1, 'Give the question a title').max(QUESTION_TITLE_MAX, `At most ${QUESTION_TITLE_MAX} characters`);
const description = z.string().max(QUESTION_DESCRIPTION_MAX, `At most ${QUESTION_DESCRIPTION_MAX} characters`);
const sql = z.string().min(1, 'Write the SQL').max(100_000, 'The query is too long');

export const questionInput = z
  .object({
    title,
    description: description.optional(),
    sql,
    parameters: parametersInput.optional(),
    chart: chartInput.nullable().optional(),
  })
  .strict();
export type QuestionInput = z.infer<typeof questionInput>;

export const questionPatch = z
  .object({
    title: title.optional(),
    description: description.optional(),
    sql: sql.optional(),
    parameters: parametersInput.optional(),
    chart: chartInput.nullable().optional(),
  })
  .strict();
export type QuestionPatch = z.infer<typeof questionPatch>;

export const runInput = z.object({ parameters: z.record(z.string(), z.unknown()).optional() }).strict();
