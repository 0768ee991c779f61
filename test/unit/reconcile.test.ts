import { describe, expect, it, vi } from 'vitest';
import { parsePaymentRef } from '../../src/domain/payments.js';
import { createReconcileService, recentDays } from '../../src/domain/reconcile.js';
import type { BalanceTransaction, RecordedPayment, StripeMovement } from '../../src/domain/reconcile.types.js';
import {
  memoryAudit,
  memoryPaymentLedger,
  memoryReconcileScratchSpace,
  memoryReconcileStore,
  memoryStripeLists,
  testClock,
} from '../support/memory-ports.js';

const NOW = '2026-12-07T12:00:00.000Z';
const WINDOW = recentDays(new Date(NOW), 1);
const PAID_AT = '2026-12-07T09:00:00.000Z';

function recorded(payoutRef: string, overrides: Partial<RecordedPayment> = {}): RecordedPayment {
  return {
    payoutRef,
    kind: parsePaymentRef(payoutRef)!.kind,
    action: 'transfer',
    money: { amount: 10_00, currency: 'eur' },
    destinationAccountId: 'acct_seller',
    stripeId: `tr_${payoutRef.replaceAll('.', '_')}`,
    paidAt: PAID_AT,
    amountReversed: 0,
    topupStatus: null,
    ...overrides,
  };
}

/** The payment as Stripe lists it when it agrees with our record. */
function movementOf(payment: RecordedPayment, overrides: Partial<StripeMovement> = {}): StripeMovement {
  return {
    object: payment.action,
    id: payment.stripeId,
    money: payment.money,
    destinationAccountId: payment.destinationAccountId,
    payoutRef: payment.payoutRef,
    payoutKind: payment.kind,
    amountReversed: payment.amountReversed,
    reversalIds: [],
    topupStatus: payment.action === 'topup' ? (payment.topupStatus ?? 'succeeded') : null,
    created: new Date(payment.paidAt),
    ...overrides,
  };
}

/** The balance transaction a movement made. */
function balanceOf(movement: StripeMovement, net?: number, type: string = movement.object): BalanceTransaction {
  const sign = movement.object === 'transfer' ? -1 : 1;
  return {
    id: `txn_${movement.id}_${type}`,
    type,
    sourceId: movement.id,
    net: net ?? sign * movement.money.amount,
    currency: movement.money.currency,
  };
}

/**
 * The service over in-memory ports, watched: how many items it pulled at most from the ledger's and Stripe's lists
 * without handing them to its scratch (what it holds in memory at once), and how many scratch spaces it left behind.
 */
function reconcileOver(
  ledger: ReturnType<typeof memoryPaymentLedger>,
  stripe: Parameters<typeof memoryStripeLists>[0],
  pageSize?: number,
) {
  let unseen = 0;
  let mostUnseen = 0;
  async function* watched<T>(items: AsyncIterable<T>) {
    for await (const item of items) {
      mostUnseen = Math.max(mostUnseen, ++unseen);
      yield item;
    }
  }
  const lists = memoryStripeLists(stripe);
  const space = memoryReconcileScratchSpace();
  const audit = memoryAudit();
  const notifier = { differencesFound: vi.fn(async () => undefined) };
  const store = memoryReconcileStore();
  const service = createReconcileService({
    ledger: { ...ledger, between: (window, size) => watched(ledger.between(window, size)) },
    stripe: {
      ...lists,
      transfers: (window) => watched(lists.transfers(window)),
      topups: (window) => watched(lists.topups(window)),
      balanceTransactions: (since, type) => watched(lists.balanceTransactions(since, type)),
    },
    store,
    scratch: {
      open(reconcileId) {
        const scratch = space.open(reconcileId);
        const seen =
          <A extends unknown[], R>(f: (...args: A) => R) =>
          (...args: A) => {
            unseen = 0;
            return f(...args);
          };
        return {
          ...scratch,
          match: seen(scratch.match),
          matchedOf: seen(scratch.matchedOf),
          ownersOf: seen(scratch.ownersOf),
        };
      },
    },
    audit,
    notifier,
    clock: testClock(NOW),
    ...(pageSize ? { pageSize } : {}),
  });
  return { service, audit, notifier, store, mostUnseen: () => mostUnseen, scratchLeft: space.left };
}

/** One payment of each kind of difference, and some that agree, found in each way. */
function everyDifference() {
  const ok = recorded('pay_rl.r1.ok');
  const amount = recorded('pay_rl.r1.amount');
  const reversed = recorded('pay_rl.r1.reversed', { money: { amount: 20_00, currency: 'eur' } });
  const destination = recorded('pay_rl.r1.dest');
  const currency = recorded('pay_rl.r1.cur');
  const found = recorded('pay_rq.found');
  const missing = recorded('pay_rq.missing');
  const yesterday = recorded('pay_rq.yesterday', { paidAt: '2026-12-06T23:59:00.000Z' });
  const topup = recorded('pay_rq.topup', {
    action: 'topup',
    money: { amount: 50_00, currency: 'usd' },
    destinationAccountId: null,
    stripeId: 'tu_topup',
  });
  const failedTopup = recorded('pay_rq.failedtopup', {
    action: 'topup',
    money: { amount: 30_00, currency: 'usd' },
    destinationAccountId: null,
    stripeId: 'tu_failed',
  });
  const pounds = Array.from({ length: 7 }, (_, i) =>
    recorded(`pay_rl.gbp.l${i}`, { money: { amount: 1_00, currency: 'gbp' } }),
  );

  const listed = {
    ok: movementOf(ok),
    amount: movementOf(amount, { money: { amount: 10_01, currency: 'eur' } }),
    reversed: movementOf(reversed, { amountReversed: 5_00, reversalIds: ['trr_reversed'] }),
    destination: movementOf(destination, { destinationAccountId: 'acct_other' }),
    currency: movementOf(currency, { money: { amount: 10_00, currency: 'usd' } }),
    yesterday: movementOf(yesterday),
    lost: movementOf(recorded('pay_rq.lost', { money: { amount: 7_00, currency: 'eur' } })),
    duplicate: movementOf(ok, { id: 'tr_duplicate', money: { amount: 3_00, currency: 'eur' } }),
    foreign: movementOf(recorded('pay_rq.foreign'), {
      id: 'tr_foreign',
      payoutRef: null,
      payoutKind: null,
      money: { amount: 8_00, currency: 'eur' },
    }),
    pounds: pounds.map((p) => movementOf(p)),
    topup: movementOf(topup),
    failedTopup: movementOf(failedTopup, { topupStatus: 'failed' }),
  };
  const foundThere = movementOf(found);
  const transfers = [
    listed.ok,
    listed.amount,
    listed.reversed,
    listed.duplicate,
    ...listed.pounds,
    listed.destination,
    listed.currency,
    listed.yesterday,
    listed.lost,
    listed.foreign,
  ];
  const balanceTransactions = [
    ...[listed.ok, listed.reversed, listed.destination, listed.currency, listed.yesterday, listed.lost].map((m) =>
      balanceOf(m),
    ),
    balanceOf(listed.amount),
    balanceOf(listed.duplicate),
    balanceOf(listed.foreign),
    { ...balanceOf(listed.reversed, 5_00, 'transfer_refund'), sourceId: 'trr_reversed' },
    ...listed.pounds.map((m) => balanceOf(m, -99)),
    balanceOf(foundThere, -10_02),
    balanceOf(listed.topup, 49_70),
    balanceOf(listed.failedTopup),
    balanceOf(listed.failedTopup, -30_00, 'topup_reversal'),
  ];
  const ledger = memoryPaymentLedger([
    ok,
    amount,
    reversed,
    destination,
    currency,
    found,
    missing,
    yesterday,
    topup,
    failedTopup,
    ...pounds,
  ]);
  const stripe = {
    transfers,
    topups: [listed.topup, listed.failedTopup],
    outside: [foundThere],
    balanceTransactions,
  };
  return { ledger, stripe, listed };
}

/**
 * `count` transfers of a run: some drift in amount, some are found only by their group (and their balance transactions
 * differ), some are missing; and some foreign.
 */
function thousands(count: number) {
  const payments = Array.from({ length: count }, (_, i) =>
    recorded(`pay_rl.big.l${i}`, { money: { amount: 1_00 + (i % 900), currency: 'eur' } }),
  );
  const atStripe = payments
    .filter((_, i) => i % 250 !== 3)
    .map((p, i) =>
      i % 500 === 7 ? movementOf(p, { money: { ...p.money, amount: p.money.amount + 1 } }) : movementOf(p),
    );
  const foreign = Array.from({ length: 3 }, (_, i) =>
    movementOf(recorded('pay_rq.foreign'), { id: `tr_foreign${i}`, payoutRef: null, payoutKind: null }),
  );
  const listed = atStripe.filter((_, i) => i % 400 !== 11);
  const outside = atStripe.filter((_, i) => i % 400 === 11);
  return {
    ledger: memoryPaymentLedger(payments),
    stripe: {
      transfers: [...listed.slice(0, 700), ...foreign, ...listed.slice(700)],
      outside,
      balanceTransactions: [
        ...[...listed, ...foreign].map((m) => balanceOf(m)),
        ...outside.map((m) => balanceOf(m, -m.money.amount - 2)),
      ],
    },
  };
}

describe('reconcile', () => {
  it.each([500, 2])(
    'when Stripe and our records differ in every way, then each difference is reported once, with both sides, in the order of the lists (pages of %i)',
    async (pageSize) => {
      const { ledger, stripe, listed } = everyDifference();
      const { service, audit, notifier, store, scratchLeft } = reconcileOver(ledger, stripe, pageSize);

      const result = await service.reconcile({ window: WINDOW, trigger: 'run', by: 'UOPS' });

      expect(result).toMatchObject({
        window: { from: '2026-12-07T00:00:00.000Z', to: '2026-12-08T00:00:00.000Z' },
        trigger: 'run',
        by: 'UOPS',
        compared: 18,
        listCalls: 8,
      });
      expect(result.differences).toEqual(EVERY_DIFFERENCE);
      expect(await ledger.get('pay_rq.lost')).toMatchObject({ stripeId: listed.lost.id, adoptedAt: NOW });
      expect(audit.entries.map((e) => [e.action, e.subject])).toEqual([
        ['reconcile.adopted', 'pay_rq.lost'],
        ['reconcile.run', result.id],
      ]);
      expect(audit.entries[1]!.detail).toBe('2026-12-07..2026-12-07 (run): 18 payments compared, 12 differences');
      expect(notifier.differencesFound).toHaveBeenCalledWith(result);
      expect(await store.latest()).toEqual(result);
      expect(scratchLeft()).toBe(0);
    },
  );

  it('when the window holds thousands of payments, then a page at a time is held, and the result is as for a few: each difference named, the balance drift naming the first five', async () => {
    const { ledger, stripe } = thousands(2_000);
    const { service, mostUnseen, scratchLeft } = reconcileOver(ledger, stripe, 50);

    const result = await service.reconcile({ window: WINDOW, trigger: 'command', by: 'UOPS' });

    expect(result).toMatchObject({ compared: 2_000, listCalls: 57 });
    expect(result.differences.map((d) => [d.class, d.payoutRef ?? d.stripeId, d.field])).toEqual([
      ...[0, 1, 2].map((i) => ['unknown_foreign', `tr_foreign${i}`, 'transfer']),
      ...[3, 253, 503, 753, 1003, 1253, 1503, 1753].map((i) => ['missing_at_stripe', `pay_rl.big.l${i}`, 'transfer']),
      ...[8, 510, 1012, 1514].map((i) => ['field_drift', `pay_rl.big.l${i}`, 'amount']),
      ['balance_drift', 'pay_rl.big.l8', 'EUR'],
    ]);
    expect(result.differences.at(-1)).toEqual({
      class: 'balance_drift',
      payoutRef: 'pay_rl.big.l8',
      stripeId: null,
      field: 'EUR',
      ours: '-€10,247.76',
      stripe: '-€10,247.90',
      alsoRefs: ['pay_rl.big.l510', 'pay_rl.big.l1012', 'pay_rl.big.l1514', 'pay_rl.big.l12'],
    });
    expect(mostUnseen()).toBe(50);
    expect(scratchLeft()).toBe(0);
  });

  it('when reading our records fails half-way, then the reconciliation fails and leaves no scratch behind', async () => {
    const { ledger, stripe } = everyDifference();
    const { service, scratchLeft, store } = reconcileOver(
      {
        ...ledger,
        async *between(window) {
          for await (const payment of ledger.between(window)) {
            yield payment;
            throw new Error('Redis is down');
          }
        },
      },
      stripe,
    );

    await expect(service.reconcile({ window: WINDOW, trigger: 'command', by: 'UOPS' })).rejects.toThrow(
      'Redis is down',
    );
    expect(scratchLeft()).toBe(0);
    expect(await store.latest()).toBeUndefined();
  });
});

const EVERY_DIFFERENCE = [
  {
    class: 'unknown_ours',
    payoutRef: 'pay_rl.r1.ok',
    stripeId: 'tr_duplicate',
    field: 'duplicate',
    ours: 'paid by tr_pay_rl_r1_ok',
    stripe: 'also €3.00 by tr_duplicate',
  },
  {
    class: 'unknown_ours',
    payoutRef: 'pay_rq.lost',
    stripeId: 'tr_pay_rq_lost',
    field: 'adopted',
    ours: 'no record',
    stripe: '€7.00',
  },
  {
    class: 'unknown_foreign',
    payoutRef: null,
    stripeId: 'tr_foreign',
    field: 'transfer',
    ours: 'no record',
    stripe: '€8.00 to acct_seller',
  },
  {
    class: 'missing_at_stripe',
    payoutRef: 'pay_rq.missing',
    stripeId: 'tr_pay_rq_missing',
    field: 'transfer',
    ours: '€10.00 paid 2026-12-07',
    stripe: 'nothing in the group',
  },
  {
    class: 'field_drift',
    payoutRef: 'pay_rl.r1.amount',
    stripeId: 'tr_pay_rl_r1_amount',
    field: 'amount',
    ours: '€10.00',
    stripe: '€10.01',
  },
  {
    class: 'state_drift',
    payoutRef: 'pay_rl.r1.reversed',
    stripeId: 'tr_pay_rl_r1_reversed',
    field: 'reversed',
    ours: 'paid, nothing reversed',
    stripe: '€5.00 reversed',
  },
  {
    class: 'field_drift',
    payoutRef: 'pay_rl.r1.dest',
    stripeId: 'tr_pay_rl_r1_dest',
    field: 'destination',
    ours: 'acct_seller',
    stripe: 'acct_other',
  },
  {
    class: 'field_drift',
    payoutRef: 'pay_rl.r1.cur',
    stripeId: 'tr_pay_rl_r1_cur',
    field: 'currency',
    ours: 'EUR',
    stripe: 'USD',
  },
  {
    class: 'state_drift',
    payoutRef: 'pay_rq.failedtopup',
    stripeId: 'tu_failed',
    field: 'status',
    ours: 'paid',
    stripe: 'failed',
  },
  {
    class: 'balance_drift',
    payoutRef: 'pay_rl.r1.amount',
    stripeId: null,
    field: 'EUR',
    ours: '-€87.00',
    stripe: '-€72.03',
    alsoRefs: ['pay_rl.r1.reversed', 'pay_rl.r1.cur', 'pay_rq.found'],
  },
  {
    class: 'balance_drift',
    payoutRef: 'pay_rl.gbp.l0',
    stripeId: null,
    field: 'GBP',
    ours: '-£7.00',
    stripe: '-£6.93',
    alsoRefs: ['pay_rl.gbp.l1', 'pay_rl.gbp.l2', 'pay_rl.gbp.l3', 'pay_rl.gbp.l4'],
  },
  {
    class: 'balance_drift',
    payoutRef: 'pay_rq.topup',
    stripeId: null,
    field: 'USD',
    ours: '$80.00',
    stripe: '$39.70',
    alsoRefs: ['pay_rq.failedtopup'],
  },
];
