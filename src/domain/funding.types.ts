import type { RecordedProblem } from './errors.js';
import type { FlowLabel, Shortfall } from './forecast.js';

/**
 * What ops was told about one shortfall, keyed by currency and day (`usd-2026-12-16`): open while the forecast
 * shows it, covered when it no longer does, passed once its day is over.
 */
export interface ShortfallNotice extends Omit<Shortfall, 'leaving'> {
  /** What leaves that day: labels, or the words a notice written before labels were facts kept. */
  leaving: (FlowLabel | string)[];
  key: string;
  status: 'open' | 'covered' | 'passed';
  /** Top-ups are only made in this currency: a shortfall in another gets a warning, not a button. */
  topupCurrency: string;
  message: { channel: string; ts: string } | null;
  updatedAt: string;
}

/** A standing permission to top up automatically, approved like a request of `cap`: at most `cap` in any rolling 7 days. */
export interface AutoFunding {
  currency: string;
  cap: number;
  requestId: string;
  approvedBy: string[];
  since: string;
}

/**
 * One automatic top-up, keyed by currency and shortfall day (`usd-2026-12-16`): claimed once within the cap, then
 * paid through the one money path. queued → created | failed; `settlement` follows Stripe's webhooks.
 */
export interface AutoTopup {
  key: string;
  currency: string;
  day: string;
  amount: number;
  claimedAt: string;
  status: 'queued' | 'created' | 'failed';
  stripeId: string | null;
  /** Why it was not made, or Stripe's words when it failed later. */
  failure: RecordedProblem | null;
  settlement: 'pending' | 'succeeded' | 'failed' | 'canceled' | 'reversed' | null;
}
