import { Queue, type ConnectionOptions, type Job } from 'bullmq';
import { paymentJobId, paymentRef } from '../../domain/payments.js';
import type { PaymentRef } from '../../domain/payments.types.js';
import type { PaymentQueue } from '../../domain/ports.js';
import { QUEUE_PREFIX } from '../redis/keys.js';

/** One set of queue names. */
export const QUEUE_NAMES = {
  stripeEvents: 'stripe-events',
  executions: 'payout-executions',
  runLines: 'payout-run-lines',
  schedules: 'payout-schedules',
  maintenance: 'payout-maintenance',
} as const;

/** A verified Stripe event, as ids only: the processor reads the object back from Stripe. */
export interface StripeEventJob {
  eventId: string;
  type: string;
  accountId: string | null;
  /** Our payment reference from the object's metadata, for top-up and transfer events. */
  payoutRef: string | null;
  objectId: string | null;
  traceId: string;
}

/** One payment (an approved request, a run line, a scheduled top-up): its reference says which, and is its job id. */
export interface PaymentJob {
  payoutRef: string;
}

export interface ScheduleJob {
  scheduleId: string;
}

/** A reconciliation with Stripe: nightly (the job scheduler's), or after a payout run ended. */
export const RECONCILE_JOB = 'reconcile';
export const RECONCILE_SCHEDULER_ID = 'reconcile-nightly';
export type ReconcileJob = { trigger: 'nightly' } | { trigger: 'run'; runId: string };

export interface Queues {
  stripeEvents: Queue<StripeEventJob>;
  executions: Queue<PaymentJob>;
  runLines: Queue<PaymentJob>;
  schedules: Queue<ScheduleJob>;
  maintenance: Queue;
  all: Queue[];
  /** Resolves once every queue has its connection: closing one still connecting leaves a rejection behind. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Finished jobs are kept longer than Stripe retries a webhook (3 days) and longer than the sweeper looks back,
 * so a duplicate jobId is ignored rather than run again.
 */
export const KEEP_FINISHED = { age: 7 * 86_400 } as const;

/** Transient Stripe failures are retried with backoff; after the last attempt the sweeper takes over. */
export const EXECUTION_ATTEMPTS = 10;

export function createQueues(connection: ConnectionOptions): Queues {
  const defaults = { removeOnComplete: KEEP_FINISHED, removeOnFail: { age: 30 * 86_400 } };
  const stripeEvents = new Queue<StripeEventJob>(QUEUE_NAMES.stripeEvents, {
    connection,
    prefix: QUEUE_PREFIX,
    defaultJobOptions: { ...defaults, attempts: 8, backoff: { type: 'exponential', delay: 1_000 } },
  });
  const executions = new Queue<PaymentJob>(QUEUE_NAMES.executions, {
    connection,
    prefix: QUEUE_PREFIX,
    defaultJobOptions: { ...defaults, attempts: EXECUTION_ATTEMPTS, backoff: { type: 'custom' } },
  });
  const runLines = new Queue<PaymentJob>(QUEUE_NAMES.runLines, {
    connection,
    prefix: QUEUE_PREFIX,
    defaultJobOptions: { ...defaults, attempts: EXECUTION_ATTEMPTS, backoff: { type: 'custom' } },
  });
  const schedules = new Queue<ScheduleJob>(QUEUE_NAMES.schedules, {
    connection,
    prefix: QUEUE_PREFIX,
    defaultJobOptions: { ...defaults, attempts: EXECUTION_ATTEMPTS, backoff: { type: 'custom' } },
  });
  const maintenance = new Queue(QUEUE_NAMES.maintenance, { connection, prefix: QUEUE_PREFIX, defaultJobOptions: { removeOnComplete: 100, removeOnFail: 100, attempts: 5, backoff: { type: 'exponential', delay: 1_000 } } });
  const all = [stripeEvents, executions, runLines, schedules, maintenance];
  return {
    stripeEvents,
    executions,
    runLines,
    schedules,
    maintenance,
    all,
    ready: async () => {
      await Promise.all(all.map((q) => q.waitUntilReady()));
    },
    close: async () => {
      await Promise.all(all.map((q) => q.close()));
    },
  };
}

/** The job id derives from the payment reference: BullMQ keeps one job per id, so a payment is queued once. */
export function createPaymentQueue(queue: Queue<PaymentJob>): PaymentQueue {
  const add = (ref: PaymentRef) => queue.add('pay', { payoutRef: paymentRef(ref) }, { jobId: paymentJobId(ref) });
  return {
    async enqueue(ref) {
      await add(ref);
    },
    async requeue(ref) {
      const existing: Job<PaymentJob> | undefined = await queue.getJob(paymentJobId(ref));
      const state = existing ? await existing.getState() : 'missing';
      if (state === 'failed') return void (await existing!.retry('failed'));
      // A finished job would make the add a no-op; the request itself says it is not done, so run it again.
      if (state === 'completed') await existing!.remove();
      if (state === 'completed' || state === 'missing' || state === 'unknown') await add(ref);
    },
  };
}
