import Stripe from 'stripe';
import type { Config } from '../../config.js';

/** The pinned API version: the shapes this code was written and tested against. */
export const STRIPE_API_VERSION = '2026-10-28.endive' as const;

export function createStripeClient(config: Pick<Config, 'STRIPE_SECRET_KEY' | 'stripeApi'>): Stripe {
  return new Stripe(config.STRIPE_SECRET_KEY, {
    apiVersion: STRIPE_API_VERSION,
    appInfo: { name: 'payout-ops', version: '0.1.0' },
    // Set on purpose: the SDK re-sends with the same idempotency key, and every write here carries our own key.
    maxNetworkRetries: 2,
    timeout: 20_000,
    // Request-latency telemetry overflows its buffer (one warning per request) at payout-run rates.
    telemetry: false,
    ...(config.stripeApi ?? {}),
  });
}
