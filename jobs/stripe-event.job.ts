import { z } from 'zod';
import { KEEP_FAILED, KEEP_FINISHED } from './payment.job.js';

export const STRIPE_EVENTS_QUEUE = 'stripe-events';

/** A verified Stripe event, as ids only: the processor reads the object back from Stripe. */
export const stripeEventJob = z.object({
  eventId: z.string().startsWith('evt_'),
  type: z.string(),
  accountId: z.string().startsWith('acct_').nullable(),
  /** Our payment reference from the object's metadata, for top-up and transfer events. */
  payoutRef: z.string().nullable(),
  objectId: z.string().min(1),
  traceId: z.string(),
});
export type StripeEventJob = z.infer<typeof stripeEventJob>;

/** Stripe delivers an event more than once: one job per event id. */
export const stripeEventJobId = (job: StripeEventJob): string => job.eventId;

export const STRIPE_EVENT_JOB_OPTIONS = {
  removeOnComplete: KEEP_FINISHED,
  removeOnFail: KEEP_FAILED,
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000 },
} as const;
