import { z } from 'zod';
import { KEEP_FINISHED } from './payment.job.js';

/** Housekeeping: the sweeper, a run's finish, reconciliations, funding checks and reminders. The job name says which. */
export const MAINTENANCE_QUEUE = 'payout-maintenance';

export const MAINTENANCE_JOBS = {
  sweep: 'sweep',
  runFinish: 'run-finish',
  reconcile: 'reconcile',
  fundingCheck: 'funding-check',
  reminder: 'reminder',
} as const;

/** One schema per job name. */
export const maintenanceJobs = {
  [MAINTENANCE_JOBS.sweep]: z.object({}),
  [MAINTENANCE_JOBS.runFinish]: z.object({ runId: z.string().min(1) }),
  /** A reconciliation with Stripe: nightly (the job scheduler's), or after a payout run ended. */
  [MAINTENANCE_JOBS.reconcile]: z.discriminatedUnion('trigger', [
    z.object({ trigger: z.literal('nightly') }),
    z.object({ trigger: z.literal('run'), runId: z.string().min(1) }),
  ]),
  [MAINTENANCE_JOBS.fundingCheck]: z.object({}),
  /** A pending request's reminder, at one of its points (src/domain/reminders.ts). */
  [MAINTENANCE_JOBS.reminder]: z.object({ requestId: z.string().min(1), point: z.enum(['halfway', 'closing']) }),
};
export type MaintenanceJobName = keyof typeof maintenanceJobs;
export type RunFinishJob = z.infer<(typeof maintenanceJobs)['run-finish']>;
export type ReconcileJob = z.infer<(typeof maintenanceJobs)['reconcile']>;
export type ReminderJob = z.infer<(typeof maintenanceJobs)['reminder']>;

export const isMaintenanceJob = (name: string): name is MaintenanceJobName => Object.hasOwn(maintenanceJobs, name);

/** One finish and one reconciliation per run, however often the last line reports. */
export const runFinishJobId = (runId: string): string => `${runId}-finish`;
export const runReconcileJobId = (runId: string): string => `${runId}-reconcile`;
/** Kept as long as payments, so a repeated run end finds its job and adds none. */
export const RUN_END_JOB_OPTIONS = { removeOnComplete: KEEP_FINISHED } as const;

/** One job per request and point, whoever queues it and however often: BullMQ ignores an id it has. */
export const reminderJobId = (requestId: string, point: ReminderJob['point']): string =>
  `reminder-${requestId}-${point}`;
/** Kept past any request's life (30 days at most), so a duplicate id is ignored rather than run again. */
export const REMINDER_JOB_OPTIONS = {
  removeOnComplete: { age: 31 * 86_400 },
  removeOnFail: { age: 31 * 86_400 },
} as const;

export const SCHEDULER_IDS = {
  sweep: 'sweep-requests',
  reconcile: 'reconcile-nightly',
  fundingCheck: 'funding-check-daily',
} as const;

/** Changes closer together than this make one funding check (BullMQ's debounce: the delayed job is replaced). */
const FUNDING_CHECK_DEBOUNCE_MS = 500;
export const FUNDING_CHECK_JOB_OPTIONS = {
  delay: FUNDING_CHECK_DEBOUNCE_MS,
  deduplication: { id: MAINTENANCE_JOBS.fundingCheck, ttl: FUNDING_CHECK_DEBOUNCE_MS, extend: true, replace: true },
  removeOnComplete: 100,
  removeOnFail: 100,
} as const;

export const MAINTENANCE_JOB_OPTIONS = {
  removeOnComplete: 100,
  removeOnFail: 100,
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
} as const;
