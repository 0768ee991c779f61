import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startHarness } from '../emulators/local-stack.js';
import { recentDays } from '../src/domain/reconcile.js';
import { onboardPayableSeller } from '../test/support/onboarding.js';
import type { Benchmark } from './types.js';

const CREATE_CONCURRENCY = 50;
const HELD_SAMPLE_MS = 250;

/**
 * The most heap `work` held above what was live before it, sampled every HELD_SAMPLE_MS after a full collection, so
 * garbage not yet collected does not count. The bench process hosts the emulators too: the figure includes what they
 * hold for the work's requests.
 */
async function peakHeldDuring(work: () => Promise<unknown>): Promise<number> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const baseline = process.memoryUsage().heapUsed;
  let peak = baseline;
  const sampler = setInterval(() => {
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, HELD_SAMPLE_MS);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return Math.round(((peak - baseline) / 1_048_576) * 10) / 10;
}

/**
 * `/payout reconcile` over `payments` transfers in its window: they are made through the one money path (pay()), then one
 * reconcile is timed in-process, with the Stripe list calls it made (pages of 100); a second one measures the heap it holds.
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

        const reconcile = () =>
          h.bot.deps.reconcile.reconcile({ window: recentDays(new Date(), 1), trigger: 'command', by: 'bench' });
        const before = h.stripe.control.stats().byEndpoint;
        const started = performance.now();
        const result = await reconcile();
        const elapsedMs = performance.now() - started;
        const after = h.stripe.control.stats().byEndpoint;
        // Once more, for memory: what the reconcile holds, not its garbage (a full collection before each sample).
        const heldMB = await peakHeldDuring(reconcile);
        const callsTo = (endpoint: string) => (after[endpoint] ?? 0) - (before[endpoint] ?? 0);
        return {
          payments: count,
          createSeconds: createMs / 1000,
          reconcileSeconds: elapsedMs / 1000,
          paymentsPerSecond: count / (elapsedMs / 1000),
          listCalls: result.listCalls,
          transferPages: callsTo('GET /v1/transfers'),
          balanceTransactionPages: callsTo('GET /v1/balance_transactions'),
          peakHeldMB: heldMB,
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
