import { vi } from 'vitest';
import type { Clock } from '../../src/domain/clock.js';
import { createPaymentService } from '../../src/domain/payments.js';
import type { MoneyGateway, PaymentGuard } from '../../src/domain/ports.js';

/** Stripe as the domain sees it, every call a spy: writes succeed, nothing earlier is found. */
export function fakeMoneyGateway(overrides: Partial<MoneyGateway> = {}): MoneyGateway {
  return {
    platformAccount: vi.fn(async () => ({ id: 'acct_p', country: 'US', defaultCurrency: 'usd' })),
    balance: vi.fn(async () => ({ available: [{ amount: 500, currency: 'eur' }], pending: [] })),
    createTransfer: vi.fn(async () => ({ id: 'tr_new', requestId: 'req_s1' })),
    createTopup: vi.fn(async () => ({ id: 'tu_new', requestId: 'req_s2' })),
    findCreated: vi.fn(async () => undefined),
    readTopup: vi.fn(),
    readTransfer: vi.fn(),
    ...overrides,
  };
}

/** No freeze, no daily limit: every payment may go. */
export const openGuard: PaymentGuard = { admit: async () => undefined, release: async () => undefined };

/** The one money path over `gateway`: every reference a first attempt, every payment recorded, nothing frozen. */
export function payingThrough(gateway: MoneyGateway, clock: Clock, log = { info: vi.fn(), warn: vi.fn() }) {
  return createPaymentService({
    gateway,
    attempts: { firstAttempt: async (_ref, now) => now },
    ledger: { recordPaid: async () => true },
    guard: openGuard,
    clock,
    log,
  });
}
