import type { Money } from './money.js';

/** What a freeze stops: everything, one currency, or one seller (by their Stripe account, which is what a transfer names). */
export type FreezeScope =
  | { kind: 'all' }
  | { kind: 'currency'; currency: string }
  | { kind: 'seller'; userId: string; accountId: string };

export interface Freeze {
  scope: FreezeScope;
  by: string;
  reason: string;
  at: string;
}

/** What a daily limit leaves for today, shown on cards: "$4,200.00 of $5,000.00 left today". */
export interface LimitLeft {
  which: 'total' | 'seller';
  left: Money;
  limit: Money;
}

/** A payment a daily limit holds: what it is and which limit, so an override request can name and show it. */
export interface LimitHold {
  payoutRef: string;
  money: Money;
  accountId: string;
  which: 'total' | 'seller';
  limit: Money;
  /** The UTC day it was held on (YYYY-MM-DD). */
  day: string;
}
