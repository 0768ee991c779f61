import Stripe from 'stripe';
import { AppError } from '../../domain/errors.js';

/** Stripe's failures as the domain sees them: a code, what we were trying to do, and whether another try may succeed. */
export function toAppError(error: unknown, action: string): AppError {
  if (error instanceof AppError) return error;
  if (!(error instanceof Stripe.errors.StripeError))
    return new AppError('stripe_unreachable', { action }, { retryable: true, cause: error });
  const retryAfterSeconds = Number(error.headers?.['retry-after']);
  const retryAfterMs =
    Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0 ? retryAfterSeconds * 1000 : undefined;
  const shouldRetry = error.headers?.['stripe-should-retry'];
  const status = error.statusCode ?? 0;
  // 409: another request with the same idempotency key is still in flight (or a lock timed out): try again later.
  const transient =
    shouldRetry === 'true' ||
    (shouldRetry !== 'false' &&
      (status === 409 || status === 429 || status >= 500 || error instanceof Stripe.errors.StripeConnectionError));
  const stripeCode = error.code ?? error.type;
  const refusal = { action, stripeCode, ...(error.message ? { detail: error.message } : {}) };
  const options = {
    retryable: transient,
    cause: error,
    ...(retryAfterMs ? { retryAfterMs } : {}),
    ...(error.requestId ? { stripeRequestId: error.requestId } : {}),
  };
  if (transient)
    return new AppError(status === 429 ? 'stripe_rate_limited' : 'stripe_unavailable', { action }, options);
  if (error instanceof Stripe.errors.StripeAuthenticationError) return new AppError('stripe_auth', {}, options);
  if (error instanceof Stripe.errors.StripeIdempotencyError)
    return new AppError('stripe_idempotency', refusal, options);
  // The refusals the domain tells apart keep their own code; any other travels with Stripe's code in its params.
  const told = stripeCode === 'balance_insufficient' || stripeCode === 'insufficient_capabilities_for_transfer';
  return new AppError(told ? (`stripe_${stripeCode}` as const) : 'stripe_refused', refusal, options);
}

export async function callStripe<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toAppError(error, action);
  }
}
