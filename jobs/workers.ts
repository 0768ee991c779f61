import { UnrecoverableError, Worker, type ConnectionOptions, type Processor } from 'bullmq';
import type { AppDeps } from '../src/deps.js';
import { isAppError } from '../src/domain/errors.js';
import { QUEUE_NAMES } from '../src/adapters/queue/queues.js';
import { retryDelayMs } from './backoff.js';
import { processExecution } from './execution.processor.js';
import { processStripeEvent } from './stripe-event.processor.js';
import { processSweep } from './sweep.processor.js';

/** Errors that no retry can fix end the job at once (BullMQ's UnrecoverableError). */
const unrecoverable =
  <T>(run: (data: unknown) => Promise<T>): Processor =>
  async (job) => {
    try {
      return await run(job.data);
    } catch (error) {
      if (isAppError(error) && !error.retryable) throw new UnrecoverableError(error.message);
      throw error;
    }
  };

export const SWEEP_SCHEDULER_ID = 'sweep-requests';

export function createWorkers(deps: AppDeps, connection: ConnectionOptions): Worker[] {
  const common = { connection, lockDuration: deps.config.WORKER_LOCK_SECONDS * 1000, stalledInterval: deps.config.WORKER_LOCK_SECONDS * 1000 };
  const workers = [
    new Worker(QUEUE_NAMES.stripeEvents, unrecoverable((data) => processStripeEvent(data, deps)), { ...common, concurrency: 5 }),
    new Worker(QUEUE_NAMES.executions, unrecoverable((data) => processExecution(data, deps)), {
      ...common,
      concurrency: 10,
      settings: { backoffStrategy: (attemptsMade, _type, error) => retryDelayMs(attemptsMade, error) },
    }),
    new Worker(QUEUE_NAMES.maintenance, () => processSweep(deps), { ...common, concurrency: 1 }),
  ];
  for (const worker of workers) {
    worker.on('failed', (job, error) => {
      deps.logger.error({ err: error, queue: worker.name, jobId: job?.id, attempts: job?.attemptsMade, event: 'job.failed' }, 'job failed');
    });
    worker.on('error', (error) => deps.logger.error({ err: error, queue: worker.name, event: 'worker.error' }, 'worker error'));
  }
  return workers;
}
