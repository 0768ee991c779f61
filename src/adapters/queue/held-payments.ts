import type { Queue } from 'bullmq';
import type { HeldPayments } from '../../domain/ports.js';

/**
 * A payment that waits on a freeze or a daily limit is a delayed job. Waking promotes the delayed jobs of the
 * payment queues, so each looks again now: one still held goes back to waiting, the others go out (once each,
 * their job ids being their references). A job delayed by a Stripe backoff is tried a little early, which the
 * idempotency key makes harmless.
 */
export function createHeldPayments(queues: Queue[]): HeldPayments {
  return {
    async wake() {
      await Promise.all(queues.map((queue) => queue.promoteJobs()));
    },
  };
}
