import { isAppError } from '../../domain/errors.js';
import type { MoneyGateway } from '../../domain/ports.js';
import type { Pacer } from '../redis/pacer.js';

/**
 * Transfers at Stripe's pace: each create waits for its slot from the pacer every process shares, and a 429
 * slows the pacer down (the caller still sees the error and retries the same payment later).
 */
export function paceTransfers<G extends Pick<MoneyGateway, 'createTransfer'>>(gateway: G, pacer: Pacer): G {
  return {
    ...gateway,
    async createTransfer(input, tags) {
      await pacer.take();
      try {
        return await gateway.createTransfer(input, tags);
      } catch (error) {
        if (isAppError(error) && error.code === 'stripe_rate_limited') await pacer.slowDown(error.options.retryAfterMs);
        throw error;
      }
    },
  };
}
