import type { Harness } from '../emulators/local-stack.js';
import { ratio } from './stats.js';
import type { Benchmark, BenchResult } from './types.js';
import {
  launchAndWait,
  reportChildLogs,
  runCounts,
  runLines,
  startRunStack,
  startRunWorker,
  type WorkerChild,
} from './worker-child.js';

/** Goals (issue 15): at most 150 MB at the largest run, and the largest within 15% of the smallest. */
const GOAL_PEAK_MB = 150;
const GOAL_GROWTH = 1.15;

/**
 * Runs of growing size, no Stripe limit, at STRIPE_TRANSFERS_PER_SECOND=`perSecond`, each paid by a fresh worker
 * process (so each peak RSS is that run's): memory side by side. The runs are launched from the bench process, as
 * an approval would from any process; the worker pays every line, keeps the counts and closes the run.
 */
export function runMemory(options: { sizes?: number[]; perSecond?: number } = {}): Benchmark {
  const sizes = options.sizes ?? [1_000, 10_000, 50_000];
  const perSecond = options.perSecond ?? 1_000;
  return {
    name: 'run-memory',
    description: `worker peak RSS for runs of ${sizes.join(', ')} lines, no Stripe limit, STRIPE_TRANSFERS_PER_SECOND=${perSecond}; goals: ≤ ${GOAL_PEAK_MB} MB at ${sizes.at(-1)}, within ${GOAL_GROWTH}× of ${sizes[0]}`,
    async run() {
      let h: Harness | undefined;
      let worker: WorkerChild | undefined;
      const result: BenchResult = { perSecond };
      const peaks: number[] = [];
      try {
        let sellerAccount: string;
        ({ h, sellerAccount } = await startRunStack(perSecond, undefined));
        for (const size of sizes) {
          worker = await startRunWorker(h, perSecond);
          const runId = `bench-memory-${size}`;
          const { elapsedMs } = await launchAndWait(h, runId, runLines(sellerAccount, size), 600_000);
          const rss = worker.peakRss();
          await worker.stop();
          reportChildLogs(`run-memory ${size}`, worker);
          const counts = await runCounts(h, runId);
          peaks.push(rss.hwmMb);
          result[`${size}.worker.peakRssMb`] = rss.hwmMb;
          result[`${size}.elapsedS`] = Math.round(elapsedMs / 10) / 100;
          result[`${size}.paid.check`] = counts.paid === size ? 'ok' : 'MISMATCH';
        }
        const largest = peaks.at(-1)!;
        const growth = ratio(largest, peaks[0]!);
        return {
          ...result,
          'ratio.largestToSmallest': growth,
          'goal.largestToSmallest': GOAL_GROWTH,
          'goal.largestToSmallest.check': growth <= GOAL_GROWTH ? 'met' : 'not met',
          'goal.peakRssMb': GOAL_PEAK_MB,
          'goal.peakRssMb.check': largest <= GOAL_PEAK_MB ? 'met' : 'not met',
        };
      } finally {
        await worker
          ?.stop()
          .catch((error: unknown) => console.error('run-memory: stopping the worker process failed:', error));
        await h?.stop().catch((error: unknown) => console.error('run-memory: stopping the harness failed:', error));
      }
    },
  };
}
