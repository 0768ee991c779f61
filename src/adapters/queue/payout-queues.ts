import type { Queue } from 'bullmq';
import type { Schedule } from '../../domain/payouts.types.js';
import type { RunQueue, Scheduler } from '../../domain/ports.js';
import { paymentJobId, paymentRef } from '../../domain/payments.js';
import { KEEP_FINISHED, RECONCILE_JOB, type PaymentJob, type ReconcileJob, type ScheduleJob } from './queues.js';

export function createRunQueue(lines: Queue<PaymentJob>, maintenance: Queue): RunQueue {
  return {
    async enqueueLines(runId, keys) {
      // In slices, so a run of thousands does not become one huge Redis command.
      for (let i = 0; i < keys.length; i += 500) {
        const refs = keys.slice(i, i + 500).map((lineKey) => ({ kind: 'run-line', runId, lineKey }) as const);
        await lines.addBulk(refs.map((ref) => ({ name: 'pay', data: { payoutRef: paymentRef(ref) }, opts: { jobId: paymentJobId(ref) } })));
      }
    },
    async enqueueFinish(runId) {
      await maintenance.add('run-finish', { runId }, { jobId: `${runId}-finish`, removeOnComplete: KEEP_FINISHED });
    },
    async enqueueReconcile(runId) {
      await maintenance.add(RECONCILE_JOB, { trigger: 'run', runId } satisfies ReconcileJob, { jobId: `${runId}-reconcile`, removeOnComplete: KEEP_FINISHED });
    },
  };
}

/** Each approved schedule is one BullMQ job scheduler (cron pattern in its time zone), keyed by the schedule id. */
export function createBullScheduler(queue: Queue<ScheduleJob>): Scheduler {
  return {
    async upsert(schedule: Schedule) {
      await queue.upsertJobScheduler(schedule.id, { pattern: schedule.time.pattern, tz: schedule.time.tz }, { name: schedule.action, data: { scheduleId: schedule.id } });
    },
    async remove(scheduleId) {
      await queue.removeJobScheduler(scheduleId);
    },
    async next(scheduleId) {
      const scheduler = await queue.getJobScheduler(scheduleId);
      return scheduler?.next ? new Date(scheduler.next) : undefined;
    },
  };
}
