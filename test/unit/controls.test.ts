import { describe, expect, it, vi } from 'vitest';
import { createLimitsLeft, createPaymentGuard, freezeOver } from '../../src/domain/controls.js';
import type { Freeze } from '../../src/domain/controls.types.js';
import { AppError } from '../../src/domain/errors.js';
import { createPaymentService } from '../../src/domain/payments.js';
import type { LimitHoldStore, VelocityCounter } from '../../src/domain/ports.js';
import { fakeMoneyGateway } from '../support/money-gateway.js';

const NOW = new Date('2026-12-06T23:50:00Z');
const clock = { now: () => NOW };
const log = { info: vi.fn(), warn: vi.fn() };
const transfer = {
  action: 'transfer',
  money: { amount: 100_00, currency: 'eur' },
  destinationAccountId: 'acct_ana',
  description: null,
} as const;
const topup = {
  action: 'topup',
  money: { amount: 100_00, currency: 'usd' },
  description: null,
  statementDescriptor: null,
} as const;
const ref = { kind: 'request', requestId: 'req_1' } as const;
const freeze = (scope: Freeze['scope']): Freeze => ({ scope, by: 'UAPP1', reason: 'fraud', at: NOW.toISOString() });
const notifier = { frozen: vi.fn(), unfrozen: vi.fn(), limitReached: vi.fn(async () => undefined) };

function guardWith(freezes: Freeze[], velocity: Partial<VelocityCounter> = {}, overridden: string[] = []) {
  const counter: VelocityCounter = {
    reserve: vi.fn(async () => ({ ok: true }) as const),
    release: vi.fn(async () => undefined),
    used: vi.fn(async () => ({ total: 0, seller: 0 })),
    ...velocity,
  };
  const limits = { total: new Map([['eur', 300_00]]), perSeller: new Map() };
  const holds: LimitHoldStore = {
    hold: vi.fn(async () => undefined),
    get: vi.fn(async () => undefined),
    override: vi.fn(async () => undefined),
    standing: async (payoutRef, day) => ({ held: false, overridden: overridden.includes(`${day} ${payoutRef}`) }),
    list: async () => ({ holds: [], total: 0 }),
    clear: vi.fn(async () => undefined),
  };
  return {
    counter,
    holds,
    guard: createPaymentGuard({
      freezes: { add: vi.fn(), remove: vi.fn(), list: async () => freezes },
      velocity: counter,
      limits,
      holds,
      clock,
      notifier,
    }),
  };
}

describe('the kill switch scope', () => {
  it('when a scope is frozen, then it stops exactly its payments: all, its currency, its seller', () => {
    expect(freezeOver([freeze({ kind: 'all' })], topup)).toBeDefined();
    expect(freezeOver([freeze({ kind: 'currency', currency: 'eur' })], transfer)).toBeDefined();
    expect(freezeOver([freeze({ kind: 'currency', currency: 'eur' })], topup)).toBeUndefined();
    expect(freezeOver([freeze({ kind: 'seller', userId: 'UANA', accountId: 'acct_ana' })], transfer)).toBeDefined();
    expect(freezeOver([freeze({ kind: 'seller', userId: 'UBOB', accountId: 'acct_bob' })], transfer)).toBeUndefined();
  });
});

describe('the last check before Stripe', () => {
  it('when payments are frozen, then pay() sends nothing and throws a retryable wait', async () => {
    const gw = fakeMoneyGateway();
    const { guard } = guardWith([freeze({ kind: 'all' })]);
    const service = createPaymentService({
      gateway: gw,
      ledger: { recordPaid: vi.fn() },
      guard,
      attempts: { firstAttempt: async (_r, now) => now },
      clock,
      log,
    });
    await expect(service.pay(ref, transfer)).rejects.toMatchObject({ code: 'payments_frozen', retryable: true });
    expect(gw.createTransfer).not.toHaveBeenCalled();
  });

  it('when a payment would pass the daily limit, then it waits until just after the next UTC midnight and nothing is sent', async () => {
    const gw = fakeMoneyGateway();
    const { guard } = guardWith([], {
      reserve: vi.fn(async () => ({ ok: false, which: 'total', limit: 300_00, used: 250_00 }) as const),
    });
    const service = createPaymentService({
      gateway: gw,
      ledger: { recordPaid: vi.fn() },
      guard,
      attempts: { firstAttempt: async (_r, now) => now },
      clock,
      log,
    });
    const error = (await service.pay(ref, transfer).catch((e: unknown) => e)) as AppError;
    expect(error).toMatchObject({ code: 'daily_limit', retryable: true });
    expect(error.options.retryAfterMs).toBe(10 * 60_000 + 1_000);
    expect(gw.createTransfer).not.toHaveBeenCalled();
    expect(notifier.limitReached).toHaveBeenCalledWith(
      expect.objectContaining({ payoutRef: 'pay_rq.req_1', which: 'total' }),
    );
  });

  it('when a payment is held by the daily limit, then its hold is recorded so an override can name it', async () => {
    const { guard, holds } = guardWith([], {
      reserve: vi.fn(async () => ({ ok: false, which: 'total', limit: 300_00, used: 250_00 }) as const),
    });
    await expect(guard.admit(ref, 'pay_rq.req_1', transfer)).rejects.toMatchObject({ code: 'daily_limit' });
    expect(holds.hold).toHaveBeenCalledWith({
      payoutRef: 'pay_rq.req_1',
      money: transfer.money,
      accountId: 'acct_ana',
      which: 'total',
      limit: { amount: 300_00, currency: 'eur' },
      day: '2026-12-06',
    });
  });

  it('when a held payment has an override for today, then it is counted without the limits; an override for another day changes nothing', async () => {
    const { guard, counter } = guardWith([], {}, ['2026-12-06 pay_rq.req_1', '2026-12-05 pay_rq.req_2']);
    await guard.admit(ref, 'pay_rq.req_1', transfer);
    expect(counter.reserve).toHaveBeenLastCalledWith(
      expect.objectContaining({ payoutRef: 'pay_rq.req_1', limits: { total: undefined, perSeller: undefined } }),
    );
    await guard.admit({ kind: 'request', requestId: 'req_2' }, 'pay_rq.req_2', transfer);
    expect(counter.reserve).toHaveBeenLastCalledWith(
      expect.objectContaining({ payoutRef: 'pay_rq.req_2', limits: { total: 300_00, perSeller: undefined } }),
    );
  });

  it('when Stripe refuses a counted payment for good, then what it counted is given back', async () => {
    const gw = fakeMoneyGateway({
      createTransfer: vi.fn(async () => Promise.reject(new AppError('stripe_balance_insufficient', { action: 'pay' }))),
    });
    const { guard, counter } = guardWith([]);
    const service = createPaymentService({
      gateway: gw,
      ledger: { recordPaid: vi.fn() },
      guard,
      attempts: { firstAttempt: async (_r, now) => now },
      clock,
      log,
    });
    await expect(service.pay(ref, transfer)).resolves.toMatchObject({ status: 'failed' });
    expect(counter.reserve).toHaveBeenCalledOnce();
    expect(counter.release).toHaveBeenCalledWith('pay_rq.req_1');
  });
});

describe('what the daily limits leave, for cards', () => {
  it('when $4,200 of a $5,000 total and $900 of a $1,000 per-seller limit are used today, then a transfer card reads $800 and $100 left; a currency with no limit reads nothing', async () => {
    const used = vi.fn(async () => ({ total: 4_200_00, seller: 900_00 }));
    const left = createLimitsLeft({
      velocity: { used },
      limits: { total: new Map([['usd', 5_000_00]]), perSeller: new Map([['usd', 1_000_00]]) },
      clock,
    });
    expect(
      await left(
        [
          { amount: 50_00, currency: 'usd' },
          { amount: 50_00, currency: 'eur' },
        ],
        'acct_ana',
      ),
    ).toEqual([
      { which: 'total', left: { amount: 800_00, currency: 'usd' }, limit: { amount: 5_000_00, currency: 'usd' } },
      { which: 'seller', left: { amount: 100_00, currency: 'usd' }, limit: { amount: 1_000_00, currency: 'usd' } },
    ]);
    expect(used).toHaveBeenCalledWith('2026-12-06', 'usd', 'acct_ana');
    expect(await left([{ amount: 50_00, currency: 'usd' }], null)).toEqual([
      { which: 'total', left: { amount: 800_00, currency: 'usd' }, limit: { amount: 5_000_00, currency: 'usd' } },
    ]);
  });
});
