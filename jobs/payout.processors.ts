import type { Job } from 'bullmq';
import type { AppDeps } from '../src/deps.js';
import { parseJobData } from './job-failure.js';
import type { RunFinishJob } from './maintenance.job.js';
import { scheduleJob } from './schedule.job.js';

/** A schedule's firing; `intendedAt` is the instant BullMQ's job scheduler meant it for. */
export async function processScheduleFiring(
  job: Pick<Job, 'queueName' | 'data'>,
  intendedAt: Date,
  deps: Pick<AppDeps, 'schedules' | 'logger'>,
): Promise<string> {
  const { scheduleId } = parseJobData(job, scheduleJob);
  const result = await deps.schedules.fire(scheduleId, intendedAt);
  deps.logger.info(
    { event: `schedule.${result}`, scheduleId, intendedAt: intendedAt.toISOString() },
    'schedule firing',
  );
  return result;
}

export async function processRunFinish(job: RunFinishJob, deps: Pick<AppDeps, 'runs'>): Promise<void> {
  await deps.runs.finish(job.runId);
}
