import { Queue, type ConnectionOptions } from 'bullmq';

/** One set of queue names. */
export const QUEUE_NAMES = {
  stripeEvents: 'stripe-events',
} as const;

export interface StripeEventJob {
  eventId: string;
  type: string;
  accountId: string | null;
  requestId: string;
}

export interface Queues {
  stripeEvents: Queue<StripeEventJob>;
  close(): Promise<void>;
}

/** Finished jobs are kept longer than Stripe retries a webhook (3 days), so a redelivered event id is ignored. */
export const KEEP_FINISHED = { age: 7 * 86_400 } as const;

export function createQueues(connection: ConnectionOptions): Queues {
  const stripeEvents = new Queue<StripeEventJob>(QUEUE_NAMES.stripeEvents, {
    connection,
    defaultJobOptions: {
      attempts: 8,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: KEEP_FINISHED,
      removeOnFail: { age: 30 * 86_400 },
    },
  });
  return {
    stripeEvents,
    close: async () => {
      await stripeEvents.close();
    },
  };
}
