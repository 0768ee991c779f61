import { performance } from 'node:perf_hooks';
import { startHarness } from '../emulators/local-stack.js';
import { recentDays } from '../src/domain/reconcile.js';
import { onboardPayableSeller } from '../test/support/onboarding.js';
import type { Benchmark } from './types.js';

const CREATE_CONCURRENCY = 50;

/**
 * `/payout reconcile` over `payments` transfers in its window: they are made through the one money path (pay()), then one
 * reconcile is timed in-process, with the Stripe list calls it made (pages of 100) and the heap it grew by at its peak.
 */
export function reconcileBench(options: { payments?: number } = {}): Benchmark {
  const count = options.payments ?? 10_000;
  return {
    name: 'reconcile',
    description: `reconcile ${count.toLocaleString('en')} payments in the window against the Stripe emulator`,
    async run() {
      // The payments are only the data here: made at the fastest pace the pacer allows.
      const h = await startHarness({
        env: { ROLE: 'web', LOG_LEVEL: 'warn', STRIPE_TRANSFERS_PER_SECOND: '1000' },
        stripe: { balances: { eur: 100_000_000_00 } },
      });
      try {
        const accountId = await onboardPayableSeller(h);
        const { payments } = h.bot.deps;
        let next = 0;
        const createStarted = performance.now();
        await Promise.all(
          Array.from({ length: CREATE_CONCURRENCY }, async () => {
            for (let i = next++; i < count; i = next++) {
              await payments.pay(
                { kind: 'run-line', runId: 'bench-reconcile', lineKey: `line${i}` },
                {
                  action: 'transfer',
                  money: { amount: 100 + (i % 900), currency: 'eur' },
                  destinationAccountId: accountId,
                  description: null,
                },
              );
            }
          }),
        );
        const createMs = performance.now() - createStarted;

        global.gc?.();
        const baseline = process.memoryUsage().heapUsed;
        let peak = baseline;
        const sampler = setInterval(() => {
          peak = Math.max(peak, process.memoryUsage().heapUsed);
        }, 10);
        const before = h.stripe.control.stats().byEndpoint;
        const started = performance.now();
        const result = await h.bot.deps.reconcile.reconcile({
          window: recentDays(new Date(), 1),
          trigger: 'command',
          by: 'bench',
        });
        const elapsedMs = performance.now() - started;
        clearInterval(sampler);
        peak = Math.max(peak, process.memoryUsage().heapUsed);
        const after = h.stripe.control.stats().byEndpoint;
        const callsTo = (endpoint: string) => (after[endpoint] ?? 0) - (before[endpoint] ?? 0);
        return {
          payments: count,
          createSeconds: createMs / 1000,
          reconcileSeconds: elapsedMs / 1000,
          paymentsPerSecond: count / (elapsedMs / 1000),
          listCalls: result.listCalls,
          transferPages: callsTo('GET /v1/transfers'),
          balanceTransactionPages: callsTo('GET /v1/balance_transactions'),
          peakHeapGrowthMB: (peak - baseline) / 1_048_576,
          compared: result.compared === count ? count : 'MISMATCH',
          differences: result.differences.length === 0 ? 0 : 'MISMATCH',
          paged: callsTo('GET /v1/transfers') >= count / 100 ? 'yes' : 'MISMATCH',
        };
      } finally {
        await h.stop();
      }
    },
  };
}
