import type { Queue } from 'bullmq';
import { FUNDING_CHECK_JOB_OPTIONS, MAINTENANCE_JOBS } from '../../../jobs/maintenance.job.js';
import type { FundingChecks } from '../../domain/ports.js';
import type { Logger } from '../../logger.js';

export function createFundingChecks(maintenance: Queue, logger: Logger): FundingChecks {
  return {
    async request() {
      try {
        await maintenance.add(MAINTENANCE_JOBS.fundingCheck, {}, FUNDING_CHECK_JOB_OPTIONS);
      } catch (error) {
        // The change itself is made; the daily check catches up with a check that could not be queued.
        logger.warn({ err: error, event: 'funding.check_not_queued' }, 'could not queue a funding check');
      }
    },
  };
}
