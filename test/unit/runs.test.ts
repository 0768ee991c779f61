import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import type { Money } from '../../src/domain/money.js';
import type { MoneyGateway } from '../../src/domain/ports.js';
import type { RunLineDraft } from '../../src/domain/requests.types.js';
import { createRunService, type LaunchRun } from '../../src/domain/runs.js';
import { describeRecorded } from '../../src/slack/messages.js';
import { memoryAudit, memoryRunStore, spyPayoutNotifier, testClock } from '../support/memory-ports.js';
import { fakeMoneyGateway, payingThrough } from '../support/money-gateway.js';

const NOW = '2026-11-24T12:00:00Z';

const line = (key: string, amount: number, currency = 'eur'): RunLineDraft => ({
  key,
  userId: `U${key}`,
  accountId: `acct_${key}`,
  money: { amount, currency },
  description: null,
});

const launch = (lines: RunLineDraft[], overrides: Partial<LaunchRun> = {}): LaunchRun => ({
  id: 'run_1',
  teamId: 'T1',
  source: 'plan',
  requestId: 'req_1',
  scheduleId: null,
  requestedBy: 'UREQ',
  lines,
  message: null,
  ...overrides,
});

/** The run service over the real payment service; Stripe is faked, `available` is the platform balance. */
function setup(options: { available?: Money[]; gateway?: Partial<MoneyGateway> } = {}) {
  const clock = testClock(NOW);
  const balance = {
    available: options.available ?? [
      { amount: 10_000_00, currency: 'eur' },
      { amount: 10_000_00, currency: 'usd' },
    ],
  };
  let transfers = 0;
  const gateway = fakeMoneyGateway({
    balance: async () => ({ available: balance.available, pending: [] }),
    createTransfer: vi.fn(async () => ({ id: `tr_${++transfers}`, requestId: null })),
    ...options.gateway,
  });
  const payments = payingThrough(gateway, clock);
  const runs = memoryRunStore();
  const audit = memoryAudit();
  const queue = {
    enqueueLines: vi.fn(async () => undefined),
    enqueueFinish: vi.fn(async () => undefined),
    enqueueReconcile: vi.fn(async () => undefined),
  };
  const notifier = spyPayoutNotifier();
  const service = createRunService({ audit, payments, gateway, runs, queue, notifier, clock });
  return { service, runs, audit, queue, notifier, gateway, balance };
}

describe('runs', () => {
  it('when a run is launched, then its totals are summed per currency, it runs, its lines are queued and its progress message is kept', async () => {
    const { service, queue, notifier } = setup();
    const run = await service.launch(launch([line('a', 100_00), line('b', 250_00), line('c', 5_00, 'usd')]));
    expect(run).toMatchObject({
      status: 'running',
      lineCount: 3,
      totals: [
        { currency: 'eur', amount: 350_00 },
        { currency: 'usd', amount: 5_00 },
      ],
      message: { channel: 'COPS', ts: '2.0' },
    });
    expect(queue.enqueueLines).toHaveBeenCalledWith('run_1', ['a', 'b', 'c']);
    expect(notifier.runStarted).toHaveBeenCalledTimes(1);
  });

  it('when the lines come a page at a time, then the run counts and sums them all, keeps its first ten in order, and a second launch resumes it', async () => {
    const { service, runs } = setup();
    const lines = Array.from({ length: 1_234 }, (_, i) => line(`L${String(i).padStart(4, '0')}`, 1_00 + i));
    async function* pages() {
      for (let i = 0; i < lines.length; i += 500) yield lines.slice(i, i + 500);
    }
    const run = await service.launch({ ...launch([]), lines: pages() });
    expect(run).toMatchObject({
      lineCount: 1_234,
      totals: [{ currency: 'eur', amount: lines.reduce((sum, l) => sum + l.money.amount, 0) }],
    });
    expect((await runs.firstLines(run.id, 10)).map((l) => l.key)).toEqual(lines.slice(0, 10).map((l) => l.key));
    const again = await service.launch({ ...launch([]), lines: pages() });
    expect(again.lineCount).toBe(1_234);
    expect((await runs.counts(run.id)).pending).toBe(1_234);
  });

  it('when the balance is short, then the run is held with what is missing, ops hears once, and it starts when the money is there', async () => {
    const { service, queue, notifier, balance } = setup({ available: [{ amount: 300_00, currency: 'eur' }] });
    const held = await service.launch(launch([line('a', 200_00), line('b', 150_00)]));
    expect(held).toMatchObject({ status: 'held', shortfall: [{ currency: 'eur', amount: 50_00 }] });
    await expect(service.start('run_1')).resolves.toMatchObject({ status: 'held' });
    expect(notifier.runHeld).toHaveBeenCalledTimes(1);
    expect(queue.enqueueLines).not.toHaveBeenCalled();
    balance.available = [{ amount: 350_00, currency: 'eur' }];
    await expect(service.start('run_1')).resolves.toMatchObject({ status: 'running', shortfall: [] });
    expect(queue.enqueueLines).toHaveBeenCalledWith('run_1', ['a', 'b']);
  });

  it('when a run that does not exist is started, then it is refused with run_unknown', async () => {
    await expect(setup().service.start('run_nope')).rejects.toMatchObject({ code: 'run_unknown' });
  });

  it('when a line is paid, then it is recorded and audited once; paying it again is skipped and Stripe is called once', async () => {
    const { service, gateway, audit, queue, notifier, runs } = setup();
    await service.launch(launch([line('a', 100_00), line('b', 200_00)]));
    await expect(service.payLine('run_1', 'a')).resolves.toBe('paid');
    await expect(service.payLine('run_1', 'a')).resolves.toBe('skipped');
    expect(gateway.createTransfer).toHaveBeenCalledTimes(1);
    expect(gateway.createTransfer).toHaveBeenCalledWith(
      expect.objectContaining({ destinationAccountId: 'acct_a' }),
      expect.objectContaining({ idempotencyKey: 'pay_rl.run_1.a' }),
    );
    expect(audit.actions()).toEqual(['run.line_paid']);
    expect(notifier.runProgress).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'run_1' }),
      expect.objectContaining({ pending: 1, paid: 1 }),
    );
    expect(queue.enqueueFinish).not.toHaveBeenCalled();
    await service.payLine('run_1', 'b');
    expect(queue.enqueueFinish).toHaveBeenCalledWith('run_1');
    await expect(runs.counts('run_1')).resolves.toMatchObject({
      pending: 0,
      paid: 2,
      failed: 0,
      paidTotals: [{ currency: 'eur', amount: 300_00 }],
    });
  });

  it('when Stripe refuses a line for good, then the line fails with its reason and is among the failed lines', async () => {
    const refusals = [
      new AppError('stripe_balance_insufficient', { action: 'create the transfer' }),
      new AppError('stripe_refused', {
        action: 'create the transfer',
        stripeCode: 'account_invalid',
        detail: 'no such destination',
      }),
    ];
    const { service } = setup({ gateway: { createTransfer: vi.fn(async () => Promise.reject(refusals.shift())) } });
    await service.launch(launch([line('a', 100_00), line('b', 200_00), line('c', 300_00)]));
    await expect(service.payLine('run_1', 'a')).resolves.toBe('failed');
    await expect(service.payLine('run_1', 'b')).resolves.toBe('failed');
    const failed = await service.failedLines('run_1');
    expect(failed.map((l) => [l.key, l.status])).toEqual([
      ['a', 'failed'],
      ['b', 'failed'],
    ]);
    expect(describeRecorded(failed[0]!.reason!)).toContain('balance too low');
    expect(failed[1]!.reason).toBeTruthy();
  });

  it('when Stripe fails transiently, then the error is thrown for a retry and the line stays pending', async () => {
    const { service, runs } = setup({
      gateway: {
        createTransfer: vi.fn(async () =>
          Promise.reject(new AppError('stripe_unavailable', { action: 'pay' }, { retryable: true })),
        ),
      },
    });
    await service.launch(launch([line('a', 100_00)]));
    await expect(service.payLine('run_1', 'a')).rejects.toMatchObject({ retryable: true });
    await expect(runs.line('run_1', 'a')).resolves.toMatchObject({ status: 'pending' });
  });

  it('when every line is settled, then the run finishes once with its counts and failed lines, and is reconciled once', async () => {
    const { service, queue, notifier } = setup({
      gateway: {
        createTransfer: vi
          .fn()
          .mockResolvedValueOnce({ id: 'tr_a', requestId: null })
          .mockRejectedValueOnce(
            new AppError('stripe_refused', {
              action: 'create the transfer',
              stripeCode: 'account_invalid',
              detail: 'no such destination',
            }),
          ),
      },
    });
    await service.launch(launch([line('a', 100_00), line('b', 200_00)]));
    await service.finish('run_1');
    expect(notifier.runFinished).not.toHaveBeenCalled();
    await service.payLine('run_1', 'a');
    await service.payLine('run_1', 'b');
    await service.finish('run_1');
    await service.finish('run_1');
    expect(notifier.runFinished).toHaveBeenCalledTimes(1);
    expect(notifier.runFinished).toHaveBeenCalledWith(
      expect.objectContaining({ status: 'done' }),
      expect.objectContaining({ paid: 1, failed: 1 }),
      [expect.objectContaining({ key: 'b' })],
    );
    expect(queue.enqueueReconcile).toHaveBeenCalledTimes(1);
    await expect(service.get('run_1')).resolves.toMatchObject({ status: 'done' });
  });

  it('when Stripe shows a paid line reversed, then the new part is recorded and announced once, then the rest; another transfer id changes nothing', async () => {
    const { service, runs, notifier, audit } = setup();
    await service.launch(launch([line('a', 1_000)]));
    await service.payLine('run_1', 'a');
    const state = {
      object: 'transfer',
      stripeId: 'tr_1',
      amount: { amount: 1_000, currency: 'eur' },
      amountReversed: 400,
    } as const;
    await expect(service.settle('run_1', 'a', state)).resolves.toBe(true);
    await expect(service.settle('run_1', 'a', state)).resolves.toBe(false);
    await expect(service.settle('run_1', 'a', { ...state, stripeId: 'tr_other', amountReversed: 1_000 })).resolves.toBe(
      false,
    );
    await expect(service.settle('run_1', 'a', { ...state, amountReversed: 1_000 })).resolves.toBe(true);
    expect(vi.mocked(notifier.runLineReversed).mock.calls.map(([, , reversed]) => reversed)).toEqual([
      { amount: 400, currency: 'eur' },
      { amount: 600, currency: 'eur' },
    ]);
    expect(audit.entries.filter((e) => e.action === 'run.line_reversed').map((e) => e.state)).toEqual([
      'partially_reversed',
      'reversed',
    ]);
    await expect(runs.counts('run_1')).resolves.toMatchObject({
      paid: 1,
      reversedTotals: [{ currency: 'eur', amount: 1_000 }],
    });
  });

  it('when the failed lines are run again, then only they are paid, under the new run, and a second launch of that run adds nothing', async () => {
    const { service, gateway, queue } = setup({
      gateway: {
        createTransfer: vi
          .fn()
          .mockRejectedValueOnce(
            new AppError('stripe_refused', {
              action: 'create the transfer',
              stripeCode: 'account_invalid',
              detail: 'no such destination',
            }),
          )
          .mockResolvedValue({ id: 'tr_ok', requestId: null }),
      },
    });
    await service.launch(launch([line('a', 100_00), line('b', 200_00)]));
    await service.payLine('run_1', 'a');
    await service.payLine('run_1', 'b');
    const failed = await service.failedLines('run_1');
    const retry = launch(
      failed.map(({ key, userId, accountId, money, description }) => ({ key, userId, accountId, money, description })),
      { id: 'run_2', source: 'retry' },
    );
    await expect(service.launch(retry)).resolves.toMatchObject({
      status: 'running',
      lineCount: 1,
      totals: [{ currency: 'eur', amount: 100_00 }],
    });
    expect(queue.enqueueLines).toHaveBeenLastCalledWith('run_2', ['a']);
    await expect(service.payLine('run_2', 'a')).resolves.toBe('paid');
    await service.launch(retry);
    await expect(service.payLine('run_2', 'a')).resolves.toBe('skipped');
    expect(vi.mocked(gateway.createTransfer).mock.calls.map(([, tags]) => tags.idempotencyKey)).toEqual([
      'pay_rl.run_1.a',
      'pay_rl.run_1.b',
      'pay_rl.run_2.a',
    ]);
  });
});
