import type { Queue } from 'bullmq';
import {
  MAINTENANCE_JOBS,
  REMINDER_JOB_OPTIONS,
  type ReminderJob,
  reminderJobId,
} from '../../../jobs/maintenance.job.js';
import type { Clock } from '../../domain/clock.js';
import type { ReminderQueue } from '../../domain/reminders.js';
import type { Logger } from '../../logger.js';

/** Each point of a request is a delayed job on the maintenance queue, keyed by request and point (no `:`). */
export function createReminderQueue(maintenance: Queue, clock: Clock, logger: Logger): ReminderQueue {
  return {
    async schedule(requestId, points) {
      const now = clock.now().getTime();
      try {
        await maintenance.addBulk(
          points.map(({ point, at }) => ({
            name: MAINTENANCE_JOBS.reminder,
            data: { requestId, point } satisfies ReminderJob,
            opts: { ...REMINDER_JOB_OPTIONS, jobId: reminderJobId(requestId, point), delay: Math.max(0, at - now) },
          })),
        );
      } catch (error) {
        // The request is made; the sweeper reminds about it in time all the same.
        logger.warn({ err: error, requestId, event: 'reminder.not_queued' }, 'could not queue reminders');
      }
    },
  };
}
