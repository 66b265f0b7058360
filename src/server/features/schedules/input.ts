import { z } from 'zod';
import { SCHEDULE_EVERY, WEEKDAYS } from '../../../shared/questions';
import { cronProblem, isTimeZone, parseTime } from './clock';

export const scheduleInput = z
  .object({
    every: z.enum(SCHEDULE_EVERY, { error: `every is one of ${SCHEDULE_EVERY.join(', ')}` }).optional(),
    at: z.string().refine((at) => parseTime(at) !== undefined, 'write the time as HH:MM (24-hour)').optional(),
    day: z.enum(WEEKDAYS, { error: `day is one of ${WEEKDAYS.join(', ')}` }).optional(),
    cron: z.string().max(100, 'at most 100 characters').optional(),
    timezone: z.string({ error: 'Give the time zone, e.g. Africa/Nairobi' }).max(64).refine(isTimeZone, 'is not a time zone (e.g. Africa/Nairobi, UTC)'),
    after_sync: z.boolean().optional(),
  })
  .strict()
  .superRefine((input, context) => {
    if (input.cron !== undefined && input.every !== undefined) context.addIssue({ code: 'custom', path: ['cron'], message: 'give every or cron, not both' });
    if (input.cron === undefined && input.every === undefined) context.addIssue({ code: 'custom', path: ['every'], message: 'say how often: every hour, day or week (or a cron expression)' });
    if (input.every === 'week' && !input.day) context.addIssue({ code: 'custom', path: ['day'], message: 'a weekly schedule needs its day' });
    if (input.every !== 'week' && input.day) context.addIssue({ code: 'custom', path: ['day'], message: 'only a weekly schedule has a day' });
    if (input.cron !== undefined && isTimeZone(input.timezone)) {
      const problem = cronProblem(input.cron, input.timezone);
      if (problem) context.addIssue({ code: 'custom', path: ['cron'], message: problem });
    }
  });
export type ScheduleBody = z.infer<typeof scheduleInput>;
