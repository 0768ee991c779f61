import type { PaymentAttempts } from '../../domain/ports.js';
import type { RedisClient } from './connection.js';
import { storeKey } from './keys.js';
import { noReplicaAck, type ReplicaAck } from './replica-ack.js';

/** Kept well past Stripe's 24-hour idempotency window and the longest a payment job retries. */
const ATTEMPT_TTL_SECONDS = 30 * 86_400;

export function createRedisPaymentAttempts(redis: RedisClient, replicaAck: ReplicaAck = noReplicaAck): PaymentAttempts {
  return {
    async firstAttempt(payoutRef, now) {
      // SET … NX GET: one round trip records the first attempt or returns the one recorded.
      const earlier = (await redis.call(
        'SET',
        storeKey(`payment:first-attempt:${payoutRef}`),
        now.toISOString(),
        'EX',
        ATTEMPT_TTL_SECONDS,
        'NX',
        'GET',
      )) as string | null;
      // The first attempt's time decides when the idempotency key may have expired: it must survive a failover.
      if (!earlier) await replicaAck();
      return earlier ? new Date(earlier) : now;
    },
  };
}
