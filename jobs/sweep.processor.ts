import type { AppDeps } from '../src/deps.js';

/** Expires overdue requests and re-queues any left approved (a lost enqueue) or executing too long (a stalled job). */
export async function processSweep(deps: Pick<AppDeps, 'execution' | 'logger' | 'config'>): Promise<{ expired: number; requeued: number }> {
  const result = await deps.execution.sweep({
    approvedGraceMs: deps.config.SWEEP_INTERVAL_SECONDS * 1000,
    executingTimeoutMs: deps.config.EXECUTING_TIMEOUT_SECONDS * 1000,
  });
  if (result.expired || result.requeued) deps.logger.info({ event: 'sweep.done', ...result }, 'sweeper acted');
  return result;
}
