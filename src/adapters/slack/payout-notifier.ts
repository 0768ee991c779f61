import type { Redis } from 'ioredis';
import type { Logger } from '../../logger.js';
import type { PayoutNotifier } from '../../domain/ports.js';
import { firingMissedNotice, runHeldNotice, runProgressMessage, scheduledTopupSettledNotice, scheduleFiredNotice } from '../../slack/blocks/payouts.js';
import { plain } from '../../slack/blocks/common.js';
import type { Messenger } from './messenger.js';

/**
 * chat.update is Tier 3: about 50 a minute per workspace, for every message together. Progress updates share
 * one budget in Redis (so several workers stay inside it) and each run updates at most every few seconds;
 * final summaries always go out.
 */
export interface UpdateBudget {
  perMinute: number;
  perRunIntervalMs: number;
}

export function createPayoutNotifier(messenger: Messenger, redis: Redis, opsChannel: string, logger: Logger, budget: UpdateBudget = { perMinute: 40, perRunIntervalMs: 3_000 }): PayoutNotifier {
  const bestEffort = async (what: string, send: () => Promise<unknown>) => {
    try {
      await send();
    } catch (error) {
      logger.warn({ err: error, event: 'slack.notify_failed', what }, 'could not update Slack');
    }
  };
  async function mayUpdate(runId: string): Promise<boolean> {
    if ((await redis.set(`payout:run:${runId}:progress-throttle`, '1', 'PX', budget.perRunIntervalMs, 'NX')) !== 'OK') return false;
    const minuteKey = `payout:slack:update-budget:${Math.floor(Date.now() / 60_000)}`;
    const [[, used] = []] = (await redis.multi().incr(minuteKey).expire(minuteKey, 120).exec()) ?? [];
    return Number(used) <= budget.perMinute;
  }
  return {
    scheduleFired: (schedule, firing, outcome) => bestEffort('schedule-fired', () => messenger.post(opsChannel, scheduleFiredNotice(schedule, firing, outcome))),
    scheduledTopupSettled: (schedule, firing, topupId, settlement, reason) =>
      bestEffort('topup-settled', () => messenger.post(opsChannel, scheduledTopupSettledNotice(schedule, firing, topupId, settlement, reason))),
    firingMissed: (schedule, intendedAt) => bestEffort('firing-missed', () => messenger.post(opsChannel, firingMissedNotice(schedule, intendedAt))),
    async runStarted(run) {
      try {
        return await messenger.post(opsChannel, runProgressMessage(run, { pending: run.lineCount, paid: 0, failed: 0, paidTotals: [] }));
      } catch (error) {
        logger.warn({ err: error, runId: run.id, event: 'slack.notify_failed' }, 'could not post the run message');
        return null;
      }
    },
    async runHeld(run, available) {
      await bestEffort('run-held', () => messenger.post(opsChannel, runHeldNotice(run, available)));
      if (run.message) await bestEffort('run-held-update', () => messenger.update(run.message!.channel, run.message!.ts, runProgressMessage(run, { pending: run.lineCount, paid: 0, failed: 0, paidTotals: [] })));
    },
    async runProgress(run, counts) {
      if (!run.message || !(await mayUpdate(run.id))) return;
      await bestEffort('run-progress', () => messenger.update(run.message!.channel, run.message!.ts, runProgressMessage(run, counts)));
    },
    async runFinished(run, counts, failed) {
      const summary = runProgressMessage(run, counts, failed);
      if (run.message) await bestEffort('run-finished', () => messenger.update(run.message!.channel, run.message!.ts, summary));
      else await bestEffort('run-finished', () => messenger.post(opsChannel, summary));
      if (run.requestedBy) await bestEffort('run-finished-dm', () => messenger.dm(run.requestedBy!, plain(`Your payout run \`${run.id}\` finished: ${summary.text}.`)));
    },
  };
}
