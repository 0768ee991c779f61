import type { CurrencyAmounts, Money } from './money.js';

/** At or above the currency's threshold two different approvers are needed; a currency with no threshold always needs two. */
export function requiredApprovals(money: Money, thresholds: CurrencyAmounts): 1 | 2 {
  const threshold = thresholds.get(money.currency);
  return threshold !== undefined && money.amount < threshold ? 1 : 2;
}

/** The largest single request for the currency, when one is set. */
export function exceedsMaximum(money: Money, maxima: CurrencyAmounts): number | undefined {
  const max = maxima.get(money.currency);
  return max !== undefined && money.amount > max ? max : undefined;
}
