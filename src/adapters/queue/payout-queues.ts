import type { Queue } from 'bullmq';
import {
  MAINTENANCE_JOBS,
  type ReconcileJob,
  RUN_END_JOB_OPTIONS,
  type RunFinishJob,
  runFinishJobId,
  runReconcileJobId,
} from '../../../jobs/maintenance.job.js';
import { type PaymentJob, paymentJobOf } from '../../../jobs/payment.job.js';
import { type ScheduleJob, scheduleSchedulerId } from '../../../jobs/schedule.job.js';
import type { Schedule } from '../../domain/payouts.types.js';
import type { RunQueue, Scheduler } from '../../domain/ports.js';

export function createRunQueue(lines: Queue<PaymentJob>, maintenance: Queue): RunQueue {
  return {
    async enqueueLines(runId, keys) {
      // In slices, so a run of thousands does not become one huge Redis command.
      for (let i = 0; i < keys.length; i += 500) {
        await lines.addBulk(
          keys.slice(i, i + 500).map((lineKey) => paymentJobOf({ kind: 'run-line', runId, lineKey })),
        );
      }
    },
    async enqueueFinish(runId) {
      await maintenance.add(MAINTENANCE_JOBS.runFinish, { runId } satisfies RunFinishJob, {
        ...RUN_END_JOB_OPTIONS,
        jobId: runFinishJobId(runId),
      });
    },
    async enqueueReconcile(runId) {
      await maintenance.add(MAINTENANCE_JOBS.reconcile, { trigger: 'run', runId } satisfies ReconcileJob, {
        ...RUN_END_JOB_OPTIONS,
        jobId: runReconcileJobId(runId),
      });
    },
  };
}

/** Each approved schedule is one BullMQ job scheduler (cron pattern in its time zone), keyed by the schedule id. */
export function createBullScheduler(queue: Queue<ScheduleJob>): Scheduler {
  return {
    async upsert(schedule: Schedule) {
      await queue.upsertJobScheduler(
        scheduleSchedulerId(schedule),
        { pattern: schedule.time.pattern, tz: schedule.time.tz },
        { name: schedule.action, data: { scheduleId: schedule.id } },
      );
    },
    async remove(scheduleId) {
      await queue.removeJobScheduler(scheduleSchedulerId({ id: scheduleId }));
    },
    async next(scheduleId) {
      const scheduler = await queue.getJobScheduler(scheduleSchedulerId({ id: scheduleId }));
      return scheduler?.next ? new Date(scheduler.next) : undefined;
    },
  };
}
