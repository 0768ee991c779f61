import Stripe from 'stripe';
import type { Clock } from '../../domain/clock.js';
import { isAppError } from '../../domain/errors.js';
import type { PayoutNotifier, RequestStore } from '../../domain/ports.js';
import type { PayoutRequest } from '../../domain/requests.types.js';
import type { Metrics } from './metrics.js';

/** Stripe's own error code (`balance_insufficient`, `rate_limit`, …) or error type when Stripe answered, else our code. */
function stripeCode(error: unknown): string {
  const cause = isAppError(error) ? error.cause : error;
  if (cause instanceof Stripe.errors.StripeError) return cause.code ?? cause.rawType ?? `http_${cause.statusCode ?? 0}`;
  return isAppError(error) ? error.code : 'unknown';
}

/** The gateway with every call counted by method and outcome; it behaves exactly as before. */
export function instrumentGateway<G extends object>(gateway: G, metrics: Metrics): G {
  const wrapped = {} as Record<string, unknown>;
  for (const [method, fn] of Object.entries(gateway)) {
    if (typeof fn !== 'function') {
      wrapped[method] = fn;
      continue;
    }
    wrapped[method] = async (...args: unknown[]) => {
      try {
        const result: unknown = await fn.apply(gateway, args);
        metrics.stripeCalls.inc({ method, outcome: 'ok', code: '' });
        return result;
      } catch (error) {
        metrics.stripeCalls.inc({ method, outcome: 'error', code: stripeCode(error) });
        if (isAppError(error) && error.code === 'stripe_rate_limited') metrics.stripeRateLimited.inc({ method });
        throw error;
      }
    };
  }
  return wrapped as G;
}

const seconds = (from: string, to: Date) => Math.max(0, (to.getTime() - Date.parse(from)) / 1000);

/** The request store, counting each state a request enters and timing decisions and payments. */
export function instrumentRequestStore(store: RequestStore, metrics: Metrics, clock: Clock): RequestStore {
  const entered = (request: PayoutRequest, before: PayoutRequest['state'] | undefined) => {
    metrics.requests.inc({ kind: request.kind, state: request.state });
    const now = clock.now();
    if (before === 'pending' && (request.state === 'approved' || request.state === 'rejected')) {
      metrics.toDecision.observe({ kind: request.kind, decision: request.state }, seconds(request.requestedAt, now));
    }
    if (request.state === 'completed')
      metrics.toPayment.observe({ kind: request.kind }, seconds(request.requestedAt, now));
  };
  return {
    ...store,
    async create(request, actor, runLines) {
      await store.create(request, actor, runLines);
      metrics.requests.inc({ kind: request.kind, state: 'created' });
    },
    async transition(id, change, audit) {
      const result = await store.transition(id, change, audit);
      if (result?.changed && result.after.state !== result.before.state) entered(result.after, result.before.state);
      return result;
    },
  };
}

/** The payout notifier, counting missed schedule firings as ops is told of them. */
export function instrumentPayoutNotifier(notifier: PayoutNotifier, metrics: Metrics): PayoutNotifier {
  return {
    ...notifier,
    async firingMissed(schedule, intendedAt) {
      metrics.missedFirings.inc();
      await notifier.firingMissed(schedule, intendedAt);
    },
  };
}
