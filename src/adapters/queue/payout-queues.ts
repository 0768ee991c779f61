import type { Queue } from 'bullmq';
import type { Schedule } from '../../domain/payouts.types.js';
import type { RunQueue, Scheduler } from '../../domain/ports.js';
import { KEEP_FINISHED } from './queues.js';

export interface RunLineJob {
  runId: string;
  key: string;
}

export interface ScheduleJob {
  scheduleId: string;
}

/** Job ids must not contain ':'; ours are built from ids that have none. */
export const runLineJobId = (runId: string, key: string) => `${runId}-${key}`;

export function createRunQueue(lines: Queue<RunLineJob>, maintenance: Queue): RunQueue {
  return {
    async enqueueLines(runId, keys) {
      // In slices, so a run of thousands does not become one huge Redis command.
      for (let i = 0; i < keys.length; i += 500) {
        await lines.addBulk(keys.slice(i, i + 500).map((key) => ({ name: 'pay', data: { runId, key }, opts: { jobId: runLineJobId(runId, key) } })));
      }
    },
    async enqueueFinish(runId) {
      await maintenance.add('run-finish', { runId }, { jobId: `${runId}-finish`, removeOnComplete: KEEP_FINISHED });
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
