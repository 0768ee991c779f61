import { z } from 'zod';
import { KEEP_FINISHED } from './payment.job.js';

/** Housekeeping: the sweeper, a run's finish, reconciliations and funding checks. The job name says which. */
export const MAINTENANCE_QUEUE = 'payout-maintenance';

export const MAINTENANCE_JOBS = {
  sweep: 'sweep',
  runFinish: 'run-finish',
  reconcile: 'reconcile',
  fundingCheck: 'funding-check',
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
};
export type MaintenanceJobName = keyof typeof maintenanceJobs;
export type RunFinishJob = z.infer<(typeof maintenanceJobs)['run-finish']>;
export type ReconcileJob = z.infer<(typeof maintenanceJobs)['reconcile']>;

export const isMaintenanceJob = (name: string): name is MaintenanceJobName => Object.hasOwn(maintenanceJobs, name);

/** One finish and one reconciliation per run, however often the last line reports. */
export const runFinishJobId = (runId: string): string => `${runId}-finish`;
export const runReconcileJobId = (runId: string): string => `${runId}-reconcile`;
/** Kept as long as payments, so a repeated run end finds its job and adds none. */
export const RUN_END_JOB_OPTIONS = { removeOnComplete: KEEP_FINISHED } as const;

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
