import type { Money } from './money.js';

/**
 * Every payment the bot makes has one reference: a one-off request, one line of a run, one firing of a scheduled
 * top-up, or an automatic top-up for a shortfall. Its Stripe idempotency key, BullMQ job id, `transfer_group` and metadata all derive from it, here and only here.
 */
export type PaymentRef =
  | { kind: 'request'; requestId: string }
  | { kind: 'run-line'; runId: string; lineKey: string }
  | { kind: 'scheduled-topup'; periodKey: string }
  /** A top-up the bot makes under a standing permission (`/payout funding auto`), one per currency and shortfall day. */
  | { kind: 'auto-topup'; currency: string; day: string };

export type PaymentKind = PaymentRef['kind'];

/** What ties a Stripe object to its payment: the idempotency key of the write, its transfer_group and its metadata. */
export interface StripeTags {
  idempotencyKey: string;
  transferGroup: string;
  metadata: { payout_ref: string; payout_kind: PaymentKind };
}

/** What to send: a transfer to a seller's account, or a top-up of the platform balance. */
export type PaymentInstruction =
  | { action: 'transfer'; money: Money; destinationAccountId: string; description: string | null }
  | { action: 'topup'; money: Money; description: string | null; statementDescriptor: string | null };

/** A Stripe object as it is now, read back when a webhook says it changed (so the order events arrive in does not matter). */
export type StripeState =
  | {
      object: 'topup';
      stripeId: string;
      status: 'pending' | 'succeeded' | 'failed' | 'canceled' | 'reversed';
      failureMessage: string | null;
    }
  | { object: 'transfer'; stripeId: string; amount: Money; amountReversed: number };
