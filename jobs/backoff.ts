import { isAppError } from '../src/domain/errors.js';

/** Stripe's own hint (Retry-After) when it gave one, else exponential backoff with full jitter, capped at a minute. */
export function retryDelayMs(attemptsMade: number, error: unknown, random = Math.random): number {
  if (isAppError(error) && error.options.retryAfterMs) return error.options.retryAfterMs;
  const ceiling = Math.min(60_000, 1_000 * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
