import { type ConnectionOptions, DelayedError, type Job, type Processor, Worker } from 'bullmq';
import { QUEUE_PREFIX } from '../src/adapters/redis/keys.js';
import type { AppDeps } from '../src/deps.js';
import { FROZEN_RECHECK_MS, WAITING_CODES } from '../src/domain/controls.js';
import { isAppError } from '../src/domain/errors.js';
import { retryDelayMs } from './backoff.js';
import { finalOrRetry } from './job-failure.js';
import { MAINTENANCE_QUEUE } from './maintenance.job.js';
import { processMaintenance } from './maintenance.processor.js';
import { PAYMENT_QUEUES } from './payment.job.js';
import { processPayment } from './payment.processor.js';
import { processScheduleFiring } from './payout.processors.js';
import { SCHEDULES_QUEUE } from './schedule.job.js';
import { STRIPE_EVENTS_QUEUE } from './stripe-event.job.js';
import { processStripeEvent } from './stripe-event.processor.js';

/**
 * A payment that must wait (frozen, over a daily limit) goes back to BullMQ's delayed set until it should look
 * again, without spending an attempt; anything else is retried or ended as finalOrRetry says.
 */
async function waitOrFail(error: unknown, job: Job, token: string | undefined): Promise<unknown> {
  if (isAppError(error) && WAITING_CODES.has(error.code) && token) {
    await job.moveToDelayed(Date.now() + (error.options.retryAfterMs ?? FROZEN_RECHECK_MS), token);
    return new DelayedError();
  }
  return finalOrRetry(error);
}

const unrecoverable =
  <T>(run: (job: Job) => Promise<T>): Processor =>
  async (job, token) => {
    try {
      return await run(job);
    } catch (error) {
      throw await waitOrFail(error, job, token);
    }
  };

/** The instant a job scheduler meant a job for (BullMQ keeps it as prevMillis). */
const intendedAt = (job: Job) => new Date((job.opts as { prevMillis?: number }).prevMillis ?? job.timestamp);

/** Backoff for money jobs: Stripe's Retry-After when given, else exponential with jitter. */
const retrySettings = {
  backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) => retryDelayMs(attemptsMade, error),
};

/** One worker per queue, made by a factory so the supervisor can replace a stalled one with a fresh one. */
export type WorkerFactory = () => Worker;

export function workerFactories(deps: AppDeps, connection: ConnectionOptions): WorkerFactory[] {
  const common = {
    connection,
    prefix: QUEUE_PREFIX,
    lockDuration: deps.config.WORKER_LOCK_SECONDS * 1000,
    stalledInterval: deps.config.WORKER_LOCK_SECONDS * 1000,
  };
  const factories: WorkerFactory[] = [
    () =>
      new Worker(
        STRIPE_EVENTS_QUEUE,
        unrecoverable((job) => processStripeEvent(job, deps)),
        { ...common, concurrency: 5 },
      ),
    () =>
      new Worker(
        PAYMENT_QUEUES.executions,
        unrecoverable((job) => processPayment(job, deps)),
        {
          ...common,
          concurrency: 10,
          settings: retrySettings,
        },
      ),
    () =>
      new Worker(
        SCHEDULES_QUEUE,
        unrecoverable((job) => processScheduleFiring(job, intendedAt(job), deps)),
        {
          ...common,
          concurrency: 2,
          settings: retrySettings,
        },
      ),
    () => createRunLineWorker(deps, common),
    () =>
      new Worker(
        MAINTENANCE_QUEUE,
        unrecoverable((job) => processMaintenance(job, deps)),
        { ...common, concurrency: 2 },
      ),
  ];
  return factories.map((make) => () => {
    const worker = make();
    worker.on('failed', (job, error) => {
      deps.logger.error(
        {
          err: error,
          queue: worker.name,
          jobId: job?.id,
          payoutRef: (job?.data as { payoutRef?: string } | undefined)?.payoutRef,
          attempts: job?.attemptsMade,
          event: 'job.failed',
        },
        'job failed',
      );
    });
    worker.on('error', (error) =>
      deps.logger.error({ err: error, queue: worker.name, event: 'worker.error' }, 'worker error'),
    );
    // A job whose lock lapsed (its worker died or hung) and that BullMQ put back: it runs again under the same id.
    worker.on('stalled', (jobId) => {
      deps.metrics.stalledJobs.inc({ queue: worker.name });
      deps.logger.warn({ queue: worker.name, jobId, event: 'job.stalled' }, 'job stalled; it runs again');
    });
    return worker;
  });
}

/**
 * Jobs in flight on the run-line queue: enough to fill a quarter second of slots (a job takes far less than that
 * between its slot and its end), capped at 32: a job still in flight when V8 collects the young generation is
 * promoted to the old one, so more in flight means a faster-growing heap, and 32 already fill 1,000 slots a second
 * (the run-memory benchmark: 50,000 lines as fast at 32 as at 100, about 5 MB less peak RSS).
 */
export const runLineConcurrency = (perSecond: number): number => Math.min(32, Math.max(2, Math.ceil(perSecond / 4)));

/**
 * Run lines go at Stripe's pace: every transfer waits for its slot from the shared pacer (src/deps.ts), so the
 * worker only needs enough jobs in flight to fill the slots. A 429 (which has already slowed the pacer) puts the
 * job back without using up an attempt; it takes a new slot when it runs again.
 */
function createRunLineWorker(
  deps: AppDeps,
  common: { connection: ConnectionOptions; prefix: string; lockDuration: number; stalledInterval: number },
): Worker {
  return new Worker(
    PAYMENT_QUEUES.runLines,
    async (job, token) => {
      try {
        return await processPayment(job, deps);
      } catch (error) {
        if (isAppError(error) && error.code === 'stripe_rate_limited') throw Worker.RateLimitError();
        throw await waitOrFail(error, job, token);
      }
    },
    {
      ...common,
      concurrency: runLineConcurrency(deps.config.STRIPE_TRANSFERS_PER_SECOND),
      settings: retrySettings,
    },
  );
}
