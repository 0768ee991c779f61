import { UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import type { AppDeps } from '../src/deps.js';
import { isAppError } from '../src/domain/errors.js';
import { QUEUE_NAMES, type StripeEventJob } from '../src/adapters/queue/queues.js';
import { processStripeEvent } from './stripe-event.processor.js';

export function createStripeEventWorker(deps: AppDeps, connection: ConnectionOptions): Worker<StripeEventJob> {
  const worker = new Worker<StripeEventJob>(
    QUEUE_NAMES.stripeEvents,
    async (job) => {
      try {
        return await processStripeEvent(job.data, deps);
      } catch (error) {
        if (isAppError(error) && !error.retryable) throw new UnrecoverableError(error.message);
        throw error;
      }
    },
    { connection, concurrency: 5 },
  );
  worker.on('failed', (job, error) => {
    deps.logger.error({ err: error, jobId: job?.id, requestId: job?.data.requestId, attempts: job?.attemptsMade, event: 'job.failed', queue: QUEUE_NAMES.stripeEvents }, 'stripe event job failed');
  });
  return worker;
}
