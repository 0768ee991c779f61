import type { Queue } from 'bullmq';
import type { FundingChecks } from '../../domain/ports.js';
import type { Logger } from '../../logger.js';

export const FUNDING_CHECK_JOB = 'funding-check';
/** Changes closer together than this make one check (BullMQ's debounce: the delayed job is replaced). */
const DEBOUNCE_MS = 500;

export function createFundingChecks(maintenance: Queue, logger: Logger): FundingChecks {
  return {
    async request() {
      try {
        await maintenance.add(FUNDING_CHECK_JOB, {}, { delay: DEBOUNCE_MS, deduplication: { id: FUNDING_CHECK_JOB, ttl: DEBOUNCE_MS, extend: true, replace: true }, removeOnComplete: 100, removeOnFail: 100 });
      } catch (error) {
        // The change itself is made; the daily check catches up with a check that could not be queued.
        logger.warn({ err: error, event: 'funding.check_not_queued' }, 'could not queue a funding check');
      }
    },
  };
}
