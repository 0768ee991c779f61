import type Stripe from 'stripe';
import type { StripeEventJob } from '../../../jobs/stripe-event.job.js';
import { parsePaymentRef } from '../../domain/payments.js';

/** The events the bot acts on; anything else is acknowledged and left alone. */
export const PAYMENT_EVENTS = new Set([
  'topup.succeeded',
  'topup.failed',
  'topup.canceled',
  'topup.reversed',
  'transfer.reversed',
]);
/** Connect events about a seller's own account: their bank payouts, their bank account, their connection to us. */
export const SELLER_EVENTS = new Set([
  'payout.paid',
  'payout.failed',
  'account.external_account.created',
  'account.external_account.updated',
  'account.external_account.deleted',
  'account.application.deauthorized',
]);
/** Events after which the funding forecast is checked again. */
export const FUNDING_EVENTS = new Set([
  'balance.available',
  'topup.succeeded',
  'topup.failed',
  'topup.canceled',
  'topup.reversed',
]);
export const HANDLED_STRIPE_EVENTS = new Set(['account.updated', ...PAYMENT_EVENTS, ...SELLER_EVENTS]);

/**
 * Only ids go into the job: the processor reads current state from Stripe itself. Undefined, with the reason, for a
 * verified event the bot cannot use (no object, or a top-up or transfer it never made): Stripe gets a 200 all the same.
 */
export function toStripeEventJob(event: Stripe.Event, traceId: string): { job: StripeEventJob } | { ignored: string } {
  if (!HANDLED_STRIPE_EVENTS.has(event.type)) return { ignored: 'type' };
  const object = (event.data as { object?: unknown } | null | undefined)?.object as
    | { id?: unknown; metadata?: Record<string, string> | null }
    | null
    | undefined;
  if (!object || typeof object.id !== 'string') return { ignored: 'no object' };
  const ref = PAYMENT_EVENTS.has(event.type) ? parsePaymentRef(object.metadata?.payout_ref) : undefined;
  if (PAYMENT_EVENTS.has(event.type) && !ref) return { ignored: 'not ours' };
  // A payout or bank account of the platform itself is not a seller's.
  if (SELLER_EVENTS.has(event.type) && !event.account) return { ignored: 'platform account' };
  return {
    job: {
      eventId: event.id,
      type: event.type,
      accountId: event.account ?? null,
      payoutRef: ref ? object.metadata!.payout_ref! : null,
      objectId: object.id,
      traceId,
    },
  };
}
