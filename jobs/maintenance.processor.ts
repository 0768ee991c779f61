import { type Job, UnrecoverableError } from 'bullmq';
import type { AppDeps } from '../src/deps.js';
import { parseJobData } from './job-failure.js';
import { isMaintenanceJob, MAINTENANCE_JOBS, maintenanceJobs } from './maintenance.job.js';
import { processRunFinish } from './payout.processors.js';
import { processReconcile } from './reconcile.processor.js';
import { processSweep } from './sweep.processor.js';

type MaintenanceDeps = Parameters<typeof processSweep>[0] &
  Parameters<typeof processReconcile>[1] &
  Pick<AppDeps, 'runs' | 'funding' | 'reminders'>;

/** The maintenance queue's jobs, told apart by name; each one's data is checked against its contract first. */
export async function processMaintenance(
  job: Pick<Job, 'name' | 'queueName' | 'data'>,
  deps: MaintenanceDeps,
): Promise<unknown> {
  if (!isMaintenanceJob(job.name)) throw new UnrecoverableError(`unknown job ${job.name} on ${job.queueName}`);
  switch (job.name) {
    case MAINTENANCE_JOBS.runFinish:
      return processRunFinish(parseJobData(job, maintenanceJobs[job.name]), deps);
    case MAINTENANCE_JOBS.reconcile:
      return processReconcile(parseJobData(job, maintenanceJobs[job.name]), deps);
    case MAINTENANCE_JOBS.fundingCheck:
      parseJobData(job, maintenanceJobs[job.name]);
      return deps.funding.check();
    case MAINTENANCE_JOBS.reminder: {
      const { requestId, point } = parseJobData(job, maintenanceJobs[job.name]);
      return deps.reminders.remind(requestId, point);
    }
    case MAINTENANCE_JOBS.sweep:
      parseJobData(job, maintenanceJobs[job.name]);
      return processSweep(deps);
  }
}
