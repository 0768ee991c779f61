import type { Money } from './money.js';
import type { MoneyGateway } from './ports.js';

/** The platform's own money at Stripe, as people ask about it. */
export interface Treasury {
  /** Available and pending, one entry per currency present in either (zero where absent), sorted by currency. */
  balance(): Promise<{ currency: string; available: Money; pending: Money }[]>;
  /** The currencies the platform holds a balance in; undefined when Stripe cannot say just now. */
  heldCurrencies(): Promise<string[] | undefined>;
  defaultCurrency(): Promise<string>;
}

export function createTreasury(gateway: Pick<MoneyGateway, 'balance' | 'platformAccount'>): Treasury {
  return {
    async balance() {
      const { available, pending } = await gateway.balance();
      const currencies = [...new Set([...available, ...pending].map((m) => m.currency))].sort();
      const find = (list: Money[], currency: string) =>
        list.find((m) => m.currency === currency) ?? { amount: 0, currency };
      return currencies.map((currency) => ({
        currency,
        available: find(available, currency),
        pending: find(pending, currency),
      }));
    },
    heldCurrencies: () =>
      gateway.balance().then(
        (b) => b.available.map((m) => m.currency),
        () => undefined,
      ),
    defaultCurrency: async () => (await gateway.platformAccount()).defaultCurrency,
  };
}
