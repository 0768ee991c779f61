import type { AppDeps } from '../src/deps.js';

/** A firing this late has been missed (no worker, Redis down): ops hears about it once. */
const MISSED_FIRING_GRACE_MS = 10 * 60_000;

/**
 * Expires overdue requests, reminds approvers of those about to expire, re-queues any left approved (a lost
 * enqueue) or executing too long (a stalled job), and alerts about scheduled firings that have not happened.
 */
export async function processSweep(
  deps: Pick<AppDeps, 'execution' | 'reminders' | 'schedules' | 'logger' | 'config'>,
): Promise<{ expired: number; requeued: number; reminded: number; missed: number }> {
  const swept = await deps.execution.sweep({
    approvedGraceMs: deps.config.SWEEP_INTERVAL_SECONDS * 1000,
    executingTimeoutMs: deps.config.EXECUTING_TIMEOUT_SECONDS * 1000,
  });
  const result = {
    ...swept,
    reminded: await deps.reminders.remindDue(),
    missed: await deps.schedules.checkMissed(MISSED_FIRING_GRACE_MS),
  };
  if (result.expired || result.requeued || result.reminded || result.missed)
    deps.logger.info({ event: 'sweep.done', ...result }, 'sweeper acted');
  return result;
}
