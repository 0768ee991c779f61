import type { Harness } from '../emulators/local-stack.js';
import { ratio } from './stats.js';
import type { Benchmark } from './types.js';
import {
  launchAndWait,
  reportChildLogs,
  runLines,
  runOutcomeFigures,
  startRunBench,
  type WorkerChild,
} from './worker-child.js';

export interface RunRateLimitedOptions {
  lines?: number;
  /** The emulator's per-endpoint limit and the bot's STRIPE_TRANSFERS_PER_SECOND. */
  perSecond?: number;
}

/** One rate-limited run on the Redis `redisEnv` names (a private redis-server when undefined): elapsed and checks. */
export async function rateLimitedRun(
  name: string,
  lineCount: number,
  perSecond: number,
  redisEnv?: Record<string, string>,
): Promise<Record<string, number | string>> {
  const floorS = lineCount / perSecond;
  let h: Harness | undefined;
  let worker: WorkerChild | undefined;
  try {
    let sellerAccount: string;
    ({ h, sellerAccount, worker } = await startRunBench(perSecond, perSecond, redisEnv));
    const runId = `bench-${name}`;
    const lines = runLines(sellerAccount, lineCount);
    const before = h.stripe.control.stats();
    const { elapsedMs, launchMs } = await launchAndWait(h, runId, lines, floorS * 3_000 + 60_000);
    const after = h.stripe.control.stats();
    const rss = worker.peakRss();
    await worker.stop();
    reportChildLogs(name, worker);
    const elapsedS = elapsedMs / 1000;
    return {
      elapsedS: Math.round(elapsedS * 100) / 100,
      floorS,
      'ratio.elapsedToFloor': ratio(elapsedS, floorS),
      transfersPerSecond: Math.round((lineCount / elapsedS) * 100) / 100,
      launchMs: Math.round(launchMs),
      'stripe.rateLimited429': after.rateLimited - before.rateLimited,
      'stripe.transferRequests':
        (after.byEndpoint[TRANSFERS_ENDPOINT] ?? 0) - (before.byEndpoint[TRANSFERS_ENDPOINT] ?? 0),
      ...(await runOutcomeFigures(h, runId, lines, worker, rss)),
    };
  } finally {
    await worker
      ?.stop()
      .catch((error: unknown) => console.error(`${name}: stopping the worker process failed:`, error));
    await h?.stop().catch((error: unknown) => console.error(`${name}: stopping the harness failed:`, error));
  }
}

const TRANSFERS_ENDPOINT = 'POST /v1/transfers';

/** Goals (issue 15): within 1.03× of the floor, with 429s under 1% of transfer calls. */
const GOAL_RATIO = 1.03;
const GOAL_429_PERCENT = 1;

/**
 * A run of `lines` transfers against a Stripe that answers 429 above `perSecond` per endpoint, with the bot set to
 * the same pace, one payout-ops worker process. The floor is lines / perSecond; 429s are what the pacing let through.
 */
export function runRateLimited(options: RunRateLimitedOptions = {}): Benchmark {
  const lineCount = options.lines ?? 3_000;
  const perSecond = options.perSecond ?? 25;
  const floorS = lineCount / perSecond;
  return {
    name: 'run-rate-limited',
    description: `run of ${lineCount} transfers, Stripe limit ${perSecond}/s per endpoint, STRIPE_TRANSFERS_PER_SECOND=${perSecond}, 1 worker process (floor ${floorS} s); goals: ≤ ${GOAL_RATIO}× floor, 429s < ${GOAL_429_PERCENT}% of calls`,
    async run() {
      const figures = await rateLimitedRun('run-rate-limited', lineCount, perSecond);
      const elapsedToFloor = Number(figures['ratio.elapsedToFloor']);
      const share429 = Number(figures['stripe.rateLimited429']) / Number(figures['stripe.transferRequests']);
      return {
        lines: lineCount,
        perSecond,
        ...figures,
        'goal.elapsedToFloor': GOAL_RATIO,
        'goal.elapsedToFloor.check': elapsedToFloor <= GOAL_RATIO ? 'met' : 'not met',
        share429Percent: Math.round(share429 * 10_000) / 100,
        'goal.share429Percent': GOAL_429_PERCENT,
        'goal.share429Percent.check': share429 * 100 < GOAL_429_PERCENT ? 'met' : 'not met',
      };
    },
  };
}
