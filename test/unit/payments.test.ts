import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import {
  createPaymentService,
  createSettlement,
  IDEMPOTENCY_WINDOW_MS,
  parsePaymentRef,
  paymentJobId,
  paymentRef,
  stripeTags,
} from '../../src/domain/payments.js';
import type { PaymentRef } from '../../src/domain/payments.types.js';
import { fakeMoneyGateway, openGuard } from '../support/money-gateway.js';

const NOW = new Date('2026-12-06T12:00:00Z');
const clock = { now: () => NOW };
const log = { info: vi.fn(), warn: vi.fn() };
const transfer = {
  action: 'transfer',
  money: { amount: 1000, currency: 'eur' },
  destinationAccountId: 'acct_2',
  description: null,
} as const;

const gateway = fakeMoneyGateway;

const ledger = { recordPaid: vi.fn(async () => true), recordState: vi.fn(async () => undefined) };
const firstTriedAt = (at: Date) => ({ firstAttempt: async () => at });

describe('the payment reference', () => {
  const refs: PaymentRef[] = [
    { kind: 'request', requestId: 'req_m3x9k2' },
    { kind: 'run-line', runId: 'req_m3x9k2', lineKey: 'USELLER1' },
    { kind: 'run-line', runId: 'run-sch_ab12-2026-12-07', lineKey: 'line12' },
    { kind: 'scheduled-topup', periodKey: 'sch_ab12-2026-12-07T0900' },
    { kind: 'auto-topup', currency: 'usd', day: '2026-12-16' },
  ];

  it('when a reference is written out and read back, then it is the same reference, for every kind', () => {
    for (const ref of refs) expect(parsePaymentRef(paymentRef(ref))).toEqual(ref);
  });

  it('when two payments differ, then their references, keys, groups and job ids differ; each derives from its own reference', () => {
    const texts = refs.map(paymentRef);
    expect(new Set(texts).size).toBe(refs.length);
    for (const ref of refs) {
      const text = paymentRef(ref);
      expect(stripeTags(ref)).toEqual({
        idempotencyKey: text,
        transferGroup: text,
        metadata: { payout_ref: text, payout_kind: ref.kind },
      });
      expect(paymentJobId(ref)).toBe(text);
      expect(paymentJobId(ref)).not.toContain(':');
    }
  });

  it('when text is not one of our references, then it is not read as one', () => {
    for (const text of [
      'req_m3x9k2',
      'pay_zz.req_1',
      'pay_rq.req_1.extra',
      'pay_rl.run_only',
      'pay_st.',
      'pay_rq.a:b',
      'pay_at.usd',
      'pay_at.usd-2026-12',
      '',
      null,
      undefined,
    ])
      expect(parsePaymentRef(text)).toBeUndefined();
  });

  it('when a part would make the reference ambiguous, then it is refused rather than written', () => {
    expect(() => paymentRef({ kind: 'run-line', runId: 'run.1', lineKey: 'U1' })).toThrow(AppError);
  });
});

describe('pay', () => {
  const ref = { kind: 'run-line', runId: 'req_1', lineKey: 'U2' } as const;

  it('when the first attempt was more than 23 hours ago and Stripe has the transfer, then it is found by its group and not sent again', async () => {
    const gw = gateway({ findCreated: vi.fn(async () => ({ id: 'tr_earlier', requestId: 'req_s0' })) });
    const service = createPaymentService({
      gateway: gw,
      ledger,
      guard: openGuard,
      attempts: firstTriedAt(new Date(NOW.getTime() - IDEMPOTENCY_WINDOW_MS - 60_000)),
      clock,
      log,
    });
    await expect(service.pay(ref, transfer)).resolves.toMatchObject({
      status: 'paid',
      stripeId: 'tr_earlier',
      found: true,
    });
    expect(gw.findCreated).toHaveBeenCalledWith('transfer', stripeTags(ref), expect.any(Date));
    expect(gw.createTransfer).not.toHaveBeenCalled();
  });

  it('when the first attempt was recent, then Stripe is not searched: the idempotency key is still valid', async () => {
    const gw = gateway();
    const service = createPaymentService({
      gateway: gw,
      ledger,
      guard: openGuard,
      attempts: firstTriedAt(new Date(NOW.getTime() - 3_600_000)),
      clock,
      log,
    });
    await expect(service.pay(ref, transfer)).resolves.toMatchObject({
      status: 'paid',
      stripeId: 'tr_new',
      stripeRequestId: 'req_s1',
      found: false,
    });
    expect(gw.findCreated).not.toHaveBeenCalled();
    expect(log.info).toHaveBeenCalledWith(
      expect.objectContaining({
        payoutRef: 'pay_rl.req_1.U2',
        stripeId: 'tr_new',
        stripeRequestId: 'req_s1',
        event: 'payment.paid',
      }),
      expect.any(String),
    );
  });

  it('when Stripe refuses for good, then the outcome is failed with its code; when it fails transiently, then it throws for a retry', async () => {
    const refused = gateway({
      createTransfer: vi.fn(async () => Promise.reject(new AppError('stripe_balance_insufficient', { action: 'pay' }))),
    });
    await expect(
      createPaymentService({ gateway: refused, ledger, guard: openGuard, attempts: firstTriedAt(NOW), clock, log }).pay(
        ref,
        transfer,
      ),
    ).resolves.toMatchObject({ status: 'failed', error: { code: 'stripe_balance_insufficient' } });
    const busy = gateway({
      createTransfer: vi.fn(async () =>
        Promise.reject(new AppError('stripe_unavailable', { action: 'pay' }, { retryable: true })),
      ),
    });
    await expect(
      createPaymentService({ gateway: busy, ledger, guard: openGuard, attempts: firstTriedAt(NOW), clock, log }).pay(
        ref,
        transfer,
      ),
    ).rejects.toMatchObject({ retryable: true });
  });
});

describe('settle', () => {
  it('when a webhook names a payment, then the object is read back from Stripe and handled by its kind', async () => {
    const topupState = { object: 'topup', stripeId: 'tu_1', status: 'reversed', failureMessage: null } as const;
    const gw = gateway({ readTopup: vi.fn(async () => topupState) });
    const handlers = {
      request: vi.fn(async () => true),
      'run-line': vi.fn(async () => true),
      'scheduled-topup': vi.fn(async () => false),
      'auto-topup': vi.fn(async () => true),
    };
    const settle = createSettlement(gw, handlers, ledger);
    await expect(
      settle({ kind: 'scheduled-topup', periodKey: 'sch_1-2026-12-07' }, { object: 'topup', id: 'tu_1' }),
    ).resolves.toBe(false);
    expect(handlers['scheduled-topup']).toHaveBeenCalledWith(
      { kind: 'scheduled-topup', periodKey: 'sch_1-2026-12-07' },
      topupState,
    );
    expect(handlers.request).not.toHaveBeenCalled();
  });
});
