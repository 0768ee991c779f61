import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import { createExecutionService } from '../../src/domain/execution.js';
import type { MoneyGateway, RequestNotifier, RequestStore } from '../../src/domain/ports.js';
import type { PayoutRequest, RequestOf } from '../../src/domain/requests.types.js';
import { fakeMoneyGateway, payingThrough } from '../support/money-gateway.js';
import { transferRequest } from '../support/request-fixtures.js';

const NOW = new Date('2026-11-24T12:00:00Z');

function approvedTransfer(overrides: Partial<RequestOf<'transfer'>> = {}): PayoutRequest {
  const at = NOW.toISOString();
  return transferRequest(at, { state: 'approved', approvals: [{ userId: 'U3', at }], ...overrides });
}

function memoryStore(initial: PayoutRequest): RequestStore & { current(): PayoutRequest } {
  let current = initial;
  return {
    current: () => current,
    create: vi.fn(),
    get: async () => current,
    open: async () => [current],
    committed: async () => (current.state === 'approved' || current.state === 'executing' ? [current] : []),
    async *runLines() {},
    runPays: async () => false,
    async transition(_id, change) {
      const next = change(current);
      const before = current;
      if (next) current = next;
      return { before, after: current, changed: Boolean(next) };
    },
  };
}

const gateway = (overrides: Partial<MoneyGateway> = {}) =>
  fakeMoneyGateway({
    balance: async () => ({ available: [{ amount: 5000, currency: 'eur' }], pending: [] }),
    ...overrides,
  });

const notifier: RequestNotifier = {
  posted: vi.fn(),
  changed: vi.fn(async () => undefined),
  finished: vi.fn(async () => undefined),
  settled: vi.fn(async () => undefined),
};
const queue = { enqueue: vi.fn(async () => undefined), requeue: vi.fn(async () => undefined) };
const clock = { now: () => NOW };
const applyRecord = vi.fn(async () => 'ref');
const log = { info: vi.fn(), warn: vi.fn() };
/** The execution service over the real payment service, with Stripe and the first-attempt store faked. */
function execution(store: RequestStore, gw: MoneyGateway) {
  const payments = payingThrough(gw, clock, log);
  return createExecutionService({ payments, gateway: gw, store, queue, notifier, clock, applyRecord });
}

describe('execution', () => {
  it('when an approved transfer runs, then Stripe gets the tags of its payment reference and the request completes', async () => {
    const store = memoryStore(approvedTransfer());
    const gw = gateway();
    await expect(execution(store, gw).execute('req_1')).resolves.toBe('completed');
    expect(gw.createTransfer).toHaveBeenCalledWith(expect.objectContaining({ destinationAccountId: 'acct_2' }), {
      idempotencyKey: 'pay_rq.req_1',
      transferGroup: 'pay_rq.req_1',
      metadata: { payout_ref: 'pay_rq.req_1', payout_kind: 'request' },
    });
    expect(store.current()).toMatchObject({ state: 'completed', stripeId: 'tr_new', attempts: 1 });
  });

  it('when Stripe later shows the transfer partly reversed, then the amount is recorded once, and a second delivery changes nothing', async () => {
    const store = memoryStore(approvedTransfer({ state: 'completed', stripeId: 'tr_done' }));
    const service = execution(store, gateway());
    const state = {
      object: 'transfer',
      stripeId: 'tr_done',
      amount: { amount: 1000, currency: 'eur' },
      amountReversed: 400,
    } as const;
    await expect(service.settle('req_1', state)).resolves.toBe(true);
    expect(store.current()).toMatchObject({ settlement: 'partially_reversed', amountReversed: 400 });
    await expect(service.settle('req_1', state)).resolves.toBe(false);
    await expect(service.settle('req_1', { ...state, amountReversed: 1000 })).resolves.toBe(true);
    expect(store.current()).toMatchObject({ settlement: 'reversed', amountReversed: 1000 });
  });

  it('when Stripe fails transiently, then the error is rethrown for a retry and the request stays executing', async () => {
    const store = memoryStore(approvedTransfer());
    const gw = gateway({
      createTransfer: vi.fn(async () =>
        Promise.reject(new AppError('stripe_unavailable', { action: 'pay' }, { retryable: true })),
      ),
    });
    await expect(execution(store, gw).execute('req_1')).rejects.toMatchObject({ retryable: true });
    expect(store.current().state).toBe('executing');
  });

  it('when an approved transfer exceeds the balance, then it waits for funds without asking Stripe, and is paid once they arrive', async () => {
    const store = memoryStore(approvedTransfer());
    let available = 400;
    const gw = gateway({ balance: async () => ({ available: [{ amount: available, currency: 'eur' }], pending: [] }) });
    const service = execution(store, gw);
    await expect(service.execute('req_1')).resolves.toBe('held');
    await expect(service.execute('req_1')).resolves.toBe('held');
    expect(store.current()).toMatchObject({
      state: 'approved',
      heldForFunds: { short: { amount: 600, currency: 'eur' }, since: NOW.toISOString() },
    });
    expect(gw.createTransfer).not.toHaveBeenCalled();
    available = 1000;
    await expect(service.execute('req_1')).resolves.toBe('completed');
    expect(store.current()).toMatchObject({ state: 'completed', heldForFunds: null, stripeId: 'tr_new' });
  });

  it('when the request is already completed, then running it again does nothing', async () => {
    const store = memoryStore(approvedTransfer({ state: 'completed', stripeId: 'tr_done' }));
    const gw = gateway();
    await expect(execution(store, gw).execute('req_1')).resolves.toBe('skipped');
    expect(gw.createTransfer).not.toHaveBeenCalled();
  });

  it('sweeps: expires overdue pending requests and re-queues stranded ones', async () => {
    const service = (r: PayoutRequest) => execution(memoryStore(r), gateway());
    await expect(
      service(approvedTransfer({ state: 'pending', expiresAt: new Date(NOW.getTime() - 1).toISOString() })).sweep({
        approvedGraceMs: 60_000,
        executingTimeoutMs: 600_000,
      }),
    ).resolves.toEqual({ expired: 1, requeued: 0 });
    await expect(
      service(approvedTransfer({ updatedAt: new Date(NOW.getTime() - 120_000).toISOString() })).sweep({
        approvedGraceMs: 60_000,
        executingTimeoutMs: 600_000,
      }),
    ).resolves.toEqual({ expired: 0, requeued: 1 });
    await expect(
      service(approvedTransfer({ updatedAt: NOW.toISOString() })).sweep({
        approvedGraceMs: 60_000,
        executingTimeoutMs: 600_000,
      }),
    ).resolves.toEqual({ expired: 0, requeued: 0 });
    await expect(
      service(
        approvedTransfer({ state: 'executing', executingSince: new Date(NOW.getTime() - 700_000).toISOString() }),
      ).sweep({ approvedGraceMs: 60_000, executingTimeoutMs: 600_000 }),
    ).resolves.toEqual({ expired: 0, requeued: 1 });
  });
});
