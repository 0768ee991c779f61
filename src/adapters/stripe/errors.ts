import Stripe from 'stripe';
import { AppError } from '../../domain/errors.js';

/** Stripe's failures as the domain sees them: a code, a message for people, and whether another try may succeed. */
export function toAppError(error: unknown, action: string): AppError {
  if (error instanceof AppError) return error;
  if (!(error instanceof Stripe.errors.StripeError)) {
    return new AppError('stripe_unreachable', `Stripe could not be reached while trying to ${action}. It will be tried again.`, { retryable: true, cause: error });
  }
  const retryAfterSeconds = Number(error.headers?.['retry-after']);
  const retryAfterMs = Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0 ? retryAfterSeconds * 1000 : undefined;
  const shouldRetry = error.headers?.['stripe-should-retry'];
  const status = error.statusCode ?? 0;
  // 409: another request with the same idempotency key is still in flight (or a lock timed out): try again later.
  const transient =
    shouldRetry === 'true' || (shouldRetry !== 'false' && (status === 409 || status === 429 || status >= 500 || error instanceof Stripe.errors.StripeConnectionError));
  const code = error.code ?? error.type;
  const detail = error.message ? ` Stripe said: ${error.message}` : '';
  const options = { retryable: transient, cause: error, ...(retryAfterMs ? { retryAfterMs } : {}), ...(error.requestId ? { stripeRequestId: error.requestId } : {}) };
  if (transient) return new AppError(status === 429 ? 'stripe_rate_limited' : 'stripe_unavailable', `Stripe is busy or unavailable right now while trying to ${action}; it will be tried again.`, options);
  if (error instanceof Stripe.errors.StripeAuthenticationError) return new AppError('stripe_auth', 'The Stripe API key was refused. Check STRIPE_SECRET_KEY.', options);
  if (error instanceof Stripe.errors.StripeIdempotencyError) return new AppError('stripe_idempotency', `Stripe refused a repeated request while trying to ${action}.${detail}`, options);
  return new AppError(`stripe_${code}`, `Stripe refused to ${action}.${detail}`, options);
}

export async function callStripe<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toAppError(error, action);
  }
}
