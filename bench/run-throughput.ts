import { performance } from 'node:perf_hooks';
import { type ConnectionOptions, Queue, Worker } from 'bullmq';
import type { Harness } from '../emulators/local-stack.js';
import { EXECUTION_ATTEMPTS, KEEP_FAILED, KEEP_FINISHED } from '../jobs/payment.job.js';
import { runLineConcurrency } from '../jobs/workers.js';
import { QUEUE_PREFIX } from '../src/adapters/redis/keys.js';
import { ratio } from './stats.js';
import type { Benchmark } from './types.js';
import {
  launchAndWait,
  reportChildLogs,
  runLines,
  runOutcomeFigures,
  startRunBench,
  until,
  type WorkerChild,
} from './worker-child.js';

export interface RunThroughputOptions {
  lines?: number;
  /** STRIPE_TRANSFERS_PER_SECOND; 1000 is the most the config allows. */
  perSecond?: number;
}

const BARE_QUEUE = 'bench-bare-lines';

/**
 * A no-op BullMQ worker with the run-line worker's concurrency, fed `count` jobs shaped like run lines (same
 * addBulk slices of 500, job ids, retention), timed from the first addBulk until the last job completed.
 */
async function bareBullmq(
  connection: ConnectionOptions,
  count: number,
  concurrency: number,
): Promise<{ elapsedMs: number; addMs: number; completed: number; failed: number }> {
  const queue = new Queue(BARE_QUEUE, {
    connection,
    prefix: QUEUE_PREFIX,
    defaultJobOptions: { removeOnComplete: KEEP_FINISHED, removeOnFail: KEEP_FAILED, attempts: EXECUTION_ATTEMPTS },
  });
  const worker = new Worker(BARE_QUEUE, async () => undefined, { connection, prefix: QUEUE_PREFIX, concurrency });
  let completed = 0;
  let failed = 0;
  worker.on('completed', () => {
    completed += 1;
  });
  worker.on('failed', () => {
    failed += 1;
  });
  try {
    await queue.waitUntilReady();
    await worker.waitUntilReady();
    const runId = 'bench-bare';
    const keys = Array.from({ length: count }, (_, i) => `line${i + 1}`);
    const started = performance.now();
    for (let i = 0; i < keys.length; i += 500) {
      await queue.addBulk(
        keys
          .slice(i, i + 500)
          .map((key) => ({ name: 'pay', data: { runId, key }, opts: { jobId: `${runId}-${key}` } })),
      );
    }
    const addMs = performance.now() - started;
    await until(() => completed + failed >= count, 120_000, `the bare worker to finish ${count} jobs`, 5);
    return { elapsedMs: performance.now() - started, addMs, completed, failed };
  } finally {
    await worker.close();
    await queue.close();
  }
}

/**
 * Throughput of a run with no Stripe rate limit and the bot at its fastest pace, one payout-ops worker process,
 * against a bare BullMQ worker on the same redis-server doing nothing per job. The two go one after the other
 * (payout-ops first, its worker process stopped before the bare one starts), so neither competes for CPU or Redis.
 */
export function runThroughput(options: RunThroughputOptions = {}): Benchmark {
  const lineCount = options.lines ?? 10_000;
  const perSecond = options.perSecond ?? 1_000;
  const concurrency = runLineConcurrency(perSecond);
  return {
    name: 'run-throughput',
    description: `run of ${lineCount} transfers, no Stripe limit, STRIPE_TRANSFERS_PER_SECOND=${perSecond}, 1 worker process, vs a no-op BullMQ worker (concurrency ${concurrency}) on the same Redis`,
    async run() {
      let h: Harness | undefined;
      let worker: WorkerChild | undefined;
      try {
        let sellerAccount: string;
        ({ h, sellerAccount, worker } = await startRunBench(perSecond, undefined));
        const runId = 'bench-throughput';
        const lines = runLines(sellerAccount, lineCount);
        const before = h.stripe.control.stats();
        const ops = await launchAndWait(h, runId, lines, 240_000);
        const after = h.stripe.control.stats();
        const rss = worker.peakRss();
        await worker.stop();
        reportChildLogs('run-throughput', worker);
        const outcome = await runOutcomeFigures(h, runId, lines, worker, rss);

        const bare = await bareBullmq(
          { host: '127.0.0.1', port: h.redis!.port, maxRetriesPerRequest: null },
          lineCount,
          concurrency,
        );

        const opsPerSecond = lineCount / (ops.elapsedMs / 1000);
        const barePerSecond = bare.completed / (bare.elapsedMs / 1000);
        const round2 = (x: number) => Math.round(x * 100) / 100;
        return {
          lines: lineCount,
          perSecond,
          concurrency,
          'payoutOps.elapsedS': round2(ops.elapsedMs / 1000),
          'payoutOps.launchMs': Math.round(ops.launchMs),
          'payoutOps.jobsPerSecond': round2(opsPerSecond),
          'bare.elapsedS': round2(bare.elapsedMs / 1000),
          'bare.addBulkMs': Math.round(bare.addMs),
          'bare.jobsPerSecond': round2(barePerSecond),
          'bare.completed': bare.completed,
          'bare.failed': bare.failed,
          'ratio.throughput': ratio(opsPerSecond, barePerSecond),
          // The transfer pacer caps payout-ops at perSecond jobs/s whatever the per-job cost.
          'ratio.toPacerCap': ratio(opsPerSecond, perSecond),
          'stripe.rateLimited429': after.rateLimited - before.rateLimited,
          ...outcome,
          'bare.check': bare.completed === lineCount && bare.failed === 0 ? 'ok' : 'MISMATCH',
        };
      } finally {
        await worker
          ?.stop()
          .catch((error: unknown) => console.error('run-throughput: stopping the worker process failed:', error));
        await h?.stop().catch((error: unknown) => console.error('run-throughput: stopping the harness failed:', error));
      }
    },
  };
}
