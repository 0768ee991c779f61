import { z } from 'zod';
import { parsePaymentRef, paymentJobId, paymentRef } from '../src/domain/payments.js';
import type { PaymentRef } from '../src/domain/payments.types.js';

/**
 * One payment (an approved request, a run line, a scheduled or automatic top-up): its reference says which, and is
 * its job id. Two queues carry it: one-off payments, and run lines (paced apart so a big run does not hold them up).
 */
export const PAYMENT_QUEUES = { executions: 'payout-executions', runLines: 'payout-run-lines' } as const;
export const PAYMENT_JOB = 'pay';

export const paymentJob = z.object({ payoutRef: z.string() }).transform(({ payoutRef }, ctx) => {
  const ref = parsePaymentRef(payoutRef);
  if (!ref) ctx.addIssue({ code: 'custom', path: ['payoutRef'], message: `not a payment reference: ${payoutRef}` });
  return ref ? { payoutRef, ref } : z.NEVER;
});
/** What a producer puts on the queue; the processor gets the parsed reference too. */
export type PaymentJob = z.input<typeof paymentJob>;

/**
 * Finished jobs are kept longer than Stripe retries a webhook (3 days) and longer than the sweeper looks back,
 * so a duplicate jobId is ignored rather than run again.
 */
export const KEEP_FINISHED = { age: 7 * 86_400 } as const;
export const KEEP_FAILED = { age: 30 * 86_400 } as const;

/** Transient Stripe failures are retried with backoff (the workers' custom strategy); after the last attempt the sweeper takes over. */
export const EXECUTION_ATTEMPTS = 10;
export const PAYMENT_JOB_OPTIONS = {
  removeOnComplete: KEEP_FINISHED,
  removeOnFail: KEEP_FAILED,
  attempts: EXECUTION_ATTEMPTS,
  backoff: { type: 'custom' },
} as const;

/** BullMQ keeps one job per id, so a payment is queued once. */
export const paymentJobOf = (ref: PaymentRef) => ({
  name: PAYMENT_JOB,
  data: { payoutRef: paymentRef(ref) } satisfies PaymentJob,
  opts: { jobId: paymentJobId(ref) },
});
