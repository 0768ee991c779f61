import { z } from 'zod';
import type { Schedule } from '../src/domain/payouts.types.js';
import { EXECUTION_ATTEMPTS, KEEP_FAILED, KEEP_FINISHED } from './payment.job.js';

export const SCHEDULES_QUEUE = 'payout-schedules';

/** One firing of an approved schedule; the job is named after the schedule's action. */
export const scheduleJob = z.object({ scheduleId: z.string().startsWith('sch_') });
export type ScheduleJob = z.infer<typeof scheduleJob>;

/** Each approved schedule is one BullMQ job scheduler, keyed by the schedule id; its firings take their ids from it. */
export const scheduleSchedulerId = (schedule: Pick<Schedule, 'id'>): string => schedule.id;

export const SCHEDULE_JOB_OPTIONS = {
  removeOnComplete: KEEP_FINISHED,
  removeOnFail: KEEP_FAILED,
  attempts: EXECUTION_ATTEMPTS,
  backoff: { type: 'custom' },
} as const;
