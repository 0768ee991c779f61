import { type ConnectionOptions, type DefaultJobOptions, type Job, Queue } from 'bullmq';
import { MAINTENANCE_JOB_OPTIONS, MAINTENANCE_QUEUE } from '../../../jobs/maintenance.job.js';
import { PAYMENT_JOB_OPTIONS, PAYMENT_QUEUES, type PaymentJob, paymentJobOf } from '../../../jobs/payment.job.js';
import { SCHEDULE_JOB_OPTIONS, SCHEDULES_QUEUE, type ScheduleJob } from '../../../jobs/schedule.job.js';
import { STRIPE_EVENT_JOB_OPTIONS, STRIPE_EVENTS_QUEUE, type StripeEventJob } from '../../../jobs/stripe-event.job.js';
import { paymentJobId } from '../../domain/payments.js';
import type { PaymentQueue } from '../../domain/ports.js';
import { QUEUE_PREFIX } from '../redis/keys.js';

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

/** Every queue as its job contract says: its name and its default job options. */
export function createQueues(connection: ConnectionOptions): Queues {
  const queue = <T>(name: string, defaultJobOptions: DefaultJobOptions) =>
    new Queue<T>(name, { connection, prefix: QUEUE_PREFIX, defaultJobOptions });
  const stripeEvents = queue<StripeEventJob>(STRIPE_EVENTS_QUEUE, STRIPE_EVENT_JOB_OPTIONS);
  const executions = queue<PaymentJob>(PAYMENT_QUEUES.executions, PAYMENT_JOB_OPTIONS);
  const runLines = queue<PaymentJob>(PAYMENT_QUEUES.runLines, PAYMENT_JOB_OPTIONS);
  const schedules = queue<ScheduleJob>(SCHEDULES_QUEUE, SCHEDULE_JOB_OPTIONS);
  const maintenance = queue<unknown>(MAINTENANCE_QUEUE, MAINTENANCE_JOB_OPTIONS);
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
  const add = async (ref: Parameters<typeof paymentJobOf>[0]) => {
    const { name, data, opts } = paymentJobOf(ref);
    await queue.add(name, data, opts);
  };
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
