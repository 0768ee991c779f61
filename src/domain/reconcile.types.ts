import type { Money } from './money.js';
import type { PaymentKind, StripeState } from './payments.types.js';

type TopupStatus = Extract<StripeState, { object: 'topup' }>['status'];

/**
 * A payment as our records hold it, from the moment Stripe accepted it: written by the one money path (pay()),
 * kept current by settle() from Stripe's webhooks. Reconciliation compares these with Stripe's own lists.
 */
export interface RecordedPayment {
  payoutRef: string;
  kind: PaymentKind;
  action: 'transfer' | 'topup';
  money: Money;
  /** Transfers: the seller's account. */
  destinationAccountId: string | null;
  stripeId: string;
  paidAt: string;
  /** Transfers: what Stripe's webhooks told us was reversed, in minor units. */
  amountReversed: number;
  /** Top-ups: the state Stripe's webhooks told us of. */
  topupStatus: TopupStatus | null;
  /** Set when reconciliation found it at Stripe with our metadata and no record here. */
  adoptedAt?: string;
}

/** A transfer or top-up as Stripe lists it. */
export interface StripeMovement {
  object: 'transfer' | 'topup';
  id: string;
  money: Money;
  destinationAccountId: string | null;
  /** Our `metadata.payout_ref` and `payout_kind`, when the bot made it. */
  payoutRef: string | null;
  payoutKind: string | null;
  /** Transfers: how much is reversed, and the reversals' ids (their balance transactions name them). */
  amountReversed: number;
  reversalIds: string[];
  /** Top-ups: Stripe's status. */
  topupStatus: TopupStatus | null;
  created: Date;
}

/** One balance transaction: what a movement did to the platform's balance. */
export interface BalanceTransaction {
  id: string;
  type: string;
  /** The transfer, reversal or top-up it records. */
  sourceId: string | null;
  net: number;
  currency: string;
}

export type DifferenceClass =
  | 'missing_at_stripe'
  | 'unknown_ours'
  | 'unknown_foreign'
  | 'field_drift'
  | 'state_drift'
  | 'balance_drift';

/** One way our records and Stripe's disagree, with both values; what to do is said where it is shown. */
export interface Difference {
  class: DifferenceClass;
  /** The payment; null for a movement the bot never made. For balance drift, the payments whose movements differ. */
  payoutRef: string | null;
  stripeId: string | null;
  /**
   * What differs: `amount`, `currency`, `destination`, `reversed`, `status`; for balance drift the currency; for unknown
   * ones with our metadata `adopted`, or `duplicate` when we already hold another object for that payment.
   */
  field: string;
  ours: string;
  stripe: string;
  /** Balance drift: the other payments whose movements differ. */
  alsoRefs?: string[];
}

export interface ReconcileWindow {
  from: Date;
  /** Exclusive. */
  to: Date;
}

export interface ReconcileResult {
  id: string;
  window: { from: string; to: string };
  trigger: 'command' | 'nightly' | 'run';
  by: string;
  startedAt: string;
  finishedAt: string;
  /** Payments of ours compared (adopted ones included). */
  compared: number;
  differences: Difference[];
  /** Stripe list requests made: each page of each list is one. */
  listCalls: number;
}
