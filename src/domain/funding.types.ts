import type { Shortfall } from './forecast.js';

/**
 * What ops was told about one shortfall, keyed by currency and day (`usd-2026-12-16`): open while the forecast
 * shows it, covered when it no longer does, passed once its day is over.
 */
export interface ShortfallNotice extends Shortfall {
  key: string;
  status: 'open' | 'covered' | 'passed';
  /** Top-ups are only made in this currency: a shortfall in another gets a warning, not a button. */
  topupCurrency: string;
  message: { channel: string; ts: string } | null;
  updatedAt: string;
}
