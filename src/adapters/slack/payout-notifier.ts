import { RUN_HEAD_LINES, type Run, type RunCounts, type RunLine } from '../../domain/payouts.types.js';
import type { PayoutNotifier } from '../../domain/ports.js';
import type { Logger } from '../../logger.js';
import { plain } from '../../slack/blocks/common.js';
import {
  firingMissedNotice,
  runHeldNotice,
  runLineReversedNotice,
  runProgressMessage,
  scheduledTopupSettledNotice,
  scheduleFiredNotice,
} from '../../slack/blocks/payouts.js';
import type { RedisClient } from '../redis/connection.js';
import { storeKey } from '../redis/keys.js';
import { bestEffort, type Messenger } from './messenger.js';

/**
 * chat.update is Tier 3: about 50 a minute per workspace, for every message together. Progress updates share
 * one budget in Redis (so several workers stay inside it) and each run updates at most every few seconds;
 * final summaries always go out.
 */
export interface UpdateBudget {
  perMinute: number;
  perRunIntervalMs: number;
}

const DEFAULT_BUDGET: UpdateBudget = { perMinute: 40, perRunIntervalMs: 3_000 };
const budgetKey = (atMs: number) => storeKey(`slack:update-budget:${Math.floor(atMs / 60_000)}`);

/** What this minute's shared chat.update budget has left, for the metrics. */
export async function updateBudgetLeft(redis: RedisClient, perMinute = DEFAULT_BUDGET.perMinute): Promise<number> {
  return Math.max(0, perMinute - Number((await redis.get(budgetKey(Date.now()))) ?? 0));
}

export function createPayoutNotifier(
  messenger: Messenger,
  redis: RedisClient,
  opsChannel: string,
  logger: Logger,
  firstLines: (runId: string, count: number) => Promise<RunLine[]>,
  budget: UpdateBudget = DEFAULT_BUDGET,
): PayoutNotifier {
  const tryTo = (what: string, send: () => Promise<unknown>, run?: Run) =>
    bestEffort(logger, what, send, run ? { runId: run.id } : {});
  // Each card reads the run's first lines only (a few keys), never the whole run.
  const card = async (run: Run, counts: RunCounts, failed: RunLine[] = []) =>
    runProgressMessage(run, counts, failed, await firstLines(run.id, RUN_HEAD_LINES));
  const notStarted = (run: Run): RunCounts => ({
    pending: run.lineCount,
    paid: 0,
    failed: 0,
    paidTotals: [],
    reversedTotals: [],
  });
  async function mayUpdate(runId: string): Promise<boolean> {
    if (
      (await redis.set(storeKey(`run:${runId}:progress-throttle`), '1', 'PX', budget.perRunIntervalMs, 'NX')) !== 'OK'
    )
      return false;
    const minuteKey = budgetKey(Date.now());
    const [[, used] = []] = (await redis.multi().incr(minuteKey).expire(minuteKey, 120).exec()) ?? [];
    return Number(used) <= budget.perMinute;
  }
  return {
    scheduleFired: (schedule, firing, outcome) =>
      tryTo('schedule-fired', () => messenger.post(opsChannel, scheduleFiredNotice(schedule, firing, outcome))),
    scheduledTopupSettled: (schedule, firing, topupId, settlement, reason) =>
      tryTo('topup-settled', () =>
        messenger.post(opsChannel, scheduledTopupSettledNotice(schedule, firing, topupId, settlement, reason)),
      ),
    firingMissed: (schedule, intendedAt) =>
      tryTo('firing-missed', () => messenger.post(opsChannel, firingMissedNotice(schedule, intendedAt))),
    async runStarted(run) {
      try {
        return await messenger.post(opsChannel, await card(run, notStarted(run)));
      } catch (error) {
        logger.warn({ err: error, runId: run.id, event: 'slack.notify_failed' }, 'could not post the run message');
        return null;
      }
    },
    async runHeld(run, available) {
      await tryTo('run-held', () => messenger.post(opsChannel, runHeldNotice(run, available)), run);
      if (run.message)
        await tryTo(
          'run-held-update',
          async () => messenger.update(run.message!.channel, run.message!.ts, await card(run, notStarted(run))),
          run,
        );
    },
    async runProgress(run, counts) {
      if (!run.message || !(await mayUpdate(run.id))) return;
      await tryTo(
        'run-progress',
        async () => messenger.update(run.message!.channel, run.message!.ts, await card(run, counts)),
        run,
      );
    },
    async runLineReversed(run, line, reversedNow, view) {
      await tryTo(
        'run-line-reversed',
        () => messenger.post(opsChannel, runLineReversedNotice(run, line, reversedNow)),
        run,
      );
      if (run.message)
        await tryTo(
          'run-line-reversed-update',
          async () =>
            messenger.update(run.message!.channel, run.message!.ts, await card(run, view.counts, view.failed)),
          run,
        );
    },
    async runFinished(run, counts, failed) {
      const summary = await card(run, counts, failed);
      if (run.message)
        await tryTo('run-finished', () => messenger.update(run.message!.channel, run.message!.ts, summary), run);
      else await tryTo('run-finished', () => messenger.post(opsChannel, summary), run);
      if (run.requestedBy)
        await tryTo(
          'run-finished-dm',
          () => messenger.dm(run.requestedBy!, plain(`Your payout run \`${run.id}\` finished: ${summary.text}.`)),
          run,
        );
    },
  };
}
