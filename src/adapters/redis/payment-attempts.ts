import type { Redis } from 'ioredis';
import type { PaymentAttempts } from '../../domain/ports.js';

/** Kept well past Stripe's 24-hour idempotency window and the longest a payment job retries. */
const ATTEMPT_TTL_SECONDS = 30 * 86_400;

export function createRedisPaymentAttempts(redis: Redis): PaymentAttempts {
  return {
    async firstAttempt(payoutRef, now) {
      // SET … NX GET: one round trip records the first attempt or returns the one recorded.
      const earlier = (await redis.call('SET', `payout:payment:first-attempt:${payoutRef}`, now.toISOString(), 'EX', ATTEMPT_TTL_SECONDS, 'NX', 'GET')) as string | null;
      return earlier ? new Date(earlier) : now;
    },
  };
}
