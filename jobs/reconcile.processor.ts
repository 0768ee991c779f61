import type { AppDeps } from '../src/deps.js';
import { recentDays } from '../src/domain/reconcile.js';
import type { ReconcileJob } from './maintenance.job.js';

/** The nightly window: the same week `/payout reconcile` compares by default. */
const NIGHTLY_DAYS = 7;
const DAY_MS = 86_400_000;

/**
 * Nightly (one job per night across workers: BullMQ's job scheduler makes it, one worker takes it), and after each payout
 * run (the days it ran). Ops hears only about differences; the result is kept either way.
 */
export async function processReconcile(
  job: ReconcileJob,
  deps: Pick<AppDeps, 'reconcile' | 'runs' | 'clock' | 'logger'>,
): Promise<string> {
  const now = deps.clock.now();
  let window = recentDays(now, NIGHTLY_DAYS);
  if (job.trigger === 'run') {
    const run = await deps.runs.get(job.runId);
    const started = run ? Date.parse(run.createdAt) : now.getTime();
    window = recentDays(now, Math.max(1, Math.ceil((window.to.getTime() - started) / DAY_MS)));
  }
  const result = await deps.reconcile.reconcile({ window, trigger: job.trigger, by: 'system' });
  deps.logger.info(
    {
      event: 'reconcile.done',
      trigger: job.trigger,
      resultId: result.id,
      compared: result.compared,
      differences: result.differences.length,
      listCalls: result.listCalls,
    },
    'reconciled with Stripe',
  );
  return `${result.compared} compared, ${result.differences.length} differences`;
}
