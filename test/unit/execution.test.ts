import { describe, expect, it, vi } from 'vitest';
import { createExecutionService, IDEMPOTENCY_WINDOW_MS } from '../../src/domain/execution.js';
import { AppError } from '../../src/domain/errors.js';
import type { MoneyGateway, RequestNotifier, RequestStore } from '../../src/domain/ports.js';
import type { PayoutRequest } from '../../src/domain/requests.types.js';

const NOW = new Date('2026-11-24T12:00:00Z');

function approvedTransfer(overrides: Partial<PayoutRequest> = {}): PayoutRequest {
  return {
    id: 'req_1', kind: 'transfer', teamId: 'T1', requestedBy: 'U1', requestedAt: NOW.toISOString(), money: { amount: 1000, currency: 'eur' },
    totals: [{ amount: 1000, currency: 'eur' }], description: null, statementDescriptor: null, destination: { userId: 'U2', accountId: 'acct_2' },
    availableAtRequest: null, schedule: null, run: null, resultRef: null, state: 'approved',
    requiredApprovals: 1, approvals: [{ userId: 'U3', at: NOW.toISOString() }], rejection: null, expiresAt: NOW.toISOString(), firstAttemptAt: null,
    executingSince: null, attempts: 0, stripeId: null, failure: null, settlement: null, message: null, updatedAt: NOW.toISOString(), ...overrides,
  };
}

function memoryStore(initial: PayoutRequest): RequestStore & { current(): PayoutRequest } {
  let current = initial;
  return {
    current: () => current,
    create: vi.fn(),
    get: async () => current,
    open: async () => [current],
    async transition(_id, change) {
      const next = change(current);
      const before = current;
      if (next) current = next;
      return { before, after: current, changed: Boolean(next) };
    },
  };
}

function gateway(overrides: Partial<MoneyGateway> = {}): MoneyGateway {
  return {
    platformAccount: async () => ({ id: 'acct_p', country: 'US', defaultCurrency: 'usd' }),
    balance: async () => ({ available: [{ amount: 500, currency: 'eur' }], pending: [] }),
    createTransfer: vi.fn(async () => ({ id: 'tr_new' })),
    createTopup: vi.fn(async () => ({ id: 'tu_new', expectedAvailability: null })),
    findCreated: vi.fn(async () => undefined),
    ...overrides,
  };
}

const notifier: RequestNotifier = { posted: vi.fn(), changed: vi.fn(async () => undefined), finished: vi.fn(async () => undefined), settled: vi.fn(async () => undefined) };
const queue = { enqueue: vi.fn(async () => undefined), requeue: vi.fn(async () => undefined) };
const clock = { now: () => NOW };
const applyRecord = vi.fn(async () => 'ref');

describe('execution', () => {
  it('when an approved transfer runs, then Stripe gets our request-derived idempotency key and the request completes', async () => {
    const store = memoryStore(approvedTransfer());
    const gw = gateway();
    await expect(createExecutionService({ gateway: gw, store, queue, notifier, clock, applyRecord }).execute('req_1')).resolves.toBe('completed');
    expect(gw.createTransfer).toHaveBeenCalledWith(expect.objectContaining({ destinationAccountId: 'acct_2', requestId: 'req_1' }), 'transfer-req_1');
    expect(store.current()).toMatchObject({ state: 'completed', stripeId: 'tr_new', attempts: 1, firstAttemptAt: NOW.toISOString() });
  });

  it('when the first attempt was more than 23 hours ago and Stripe already has the transfer, then it is recorded, not paid again', async () => {
    const firstAttemptAt = new Date(NOW.getTime() - IDEMPOTENCY_WINDOW_MS - 60_000).toISOString();
    const store = memoryStore(approvedTransfer({ state: 'executing', firstAttemptAt, attempts: 4 }));
    const gw = gateway({ findCreated: vi.fn(async () => 'tr_earlier') });
    await createExecutionService({ gateway: gw, store, queue, notifier, clock, applyRecord }).execute('req_1');
    expect(gw.findCreated).toHaveBeenCalledWith('transfer', 'req_1', expect.any(Date));
    expect(gw.createTransfer).not.toHaveBeenCalled();
    expect(store.current()).toMatchObject({ state: 'completed', stripeId: 'tr_earlier' });
  });

  it('when the first attempt was recent, then Stripe is not searched: the idempotency key is still valid', async () => {
    const store = memoryStore(approvedTransfer({ state: 'executing', firstAttemptAt: new Date(NOW.getTime() - 3_600_000).toISOString() }));
    const gw = gateway();
    await createExecutionService({ gateway: gw, store, queue, notifier, clock, applyRecord }).execute('req_1');
    expect(gw.findCreated).not.toHaveBeenCalled();
    expect(gw.createTransfer).toHaveBeenCalledOnce();
  });

  it('when Stripe fails transiently, then the error is rethrown for a retry and the request stays executing', async () => {
    const store = memoryStore(approvedTransfer());
    const gw = gateway({ createTransfer: vi.fn(async () => Promise.reject(new AppError('stripe_unavailable', 'busy', { retryable: true }))) });
    await expect(createExecutionService({ gateway: gw, store, queue, notifier, clock, applyRecord }).execute('req_1')).rejects.toMatchObject({ retryable: true });
    expect(store.current().state).toBe('executing');
  });

  it('when the request is already completed, then running it again does nothing', async () => {
    const store = memoryStore(approvedTransfer({ state: 'completed', stripeId: 'tr_done' }));
    const gw = gateway();
    await expect(createExecutionService({ gateway: gw, store, queue, notifier, clock, applyRecord }).execute('req_1')).resolves.toBe('skipped');
    expect(gw.createTransfer).not.toHaveBeenCalled();
  });

  it('sweeps: expires overdue pending requests and re-queues stranded ones', async () => {
    const service = (r: PayoutRequest) => createExecutionService({ gateway: gateway(), store: memoryStore(r), queue, notifier, clock, applyRecord });
    await expect(service(approvedTransfer({ state: 'pending', expiresAt: new Date(NOW.getTime() - 1).toISOString() })).sweep({ approvedGraceMs: 60_000, executingTimeoutMs: 600_000 })).resolves.toEqual({ expired: 1, requeued: 0 });
    await expect(service(approvedTransfer({ updatedAt: new Date(NOW.getTime() - 120_000).toISOString() })).sweep({ approvedGraceMs: 60_000, executingTimeoutMs: 600_000 })).resolves.toEqual({ expired: 0, requeued: 1 });
    await expect(service(approvedTransfer({ updatedAt: NOW.toISOString() })).sweep({ approvedGraceMs: 60_000, executingTimeoutMs: 600_000 })).resolves.toEqual({ expired: 0, requeued: 0 });
    await expect(service(approvedTransfer({ state: 'executing', executingSince: new Date(NOW.getTime() - 700_000).toISOString() })).sweep({ approvedGraceMs: 60_000, executingTimeoutMs: 600_000 })).resolves.toEqual({ expired: 0, requeued: 1 });
  });
});
