import type { AppDeps } from '../src/deps.js';
import { createRedis } from '../src/adapters/redis/connection.js';
import { RECONCILE_JOB, RECONCILE_SCHEDULER_ID, type ReconcileJob } from '../src/adapters/queue/queues.js';
import { createWorkers, SWEEP_SCHEDULER_ID } from './workers.js';

export interface Workers {
  /** Stops taking jobs, lets running ones finish, closes the worker connection. */
  close(): Promise<void>;
}

export async function startWorkers(deps: AppDeps): Promise<Workers> {
  const connection = createRedis(deps.config.redis, 'worker', deps.logger);
  const workers = createWorkers(deps, connection);
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  // One scheduler however many workers run: upsert is idempotent by id.
  await deps.queues.maintenance.upsertJobScheduler(SWEEP_SCHEDULER_ID, { every: deps.config.SWEEP_INTERVAL_SECONDS * 1000 }, { name: 'sweep' });
  // Nightly, in RECONCILE_AT's zone; BullMQ makes one job per night whichever worker upserts it.
  const { pattern, tz } = deps.config.RECONCILE_AT;
  await deps.queues.maintenance.upsertJobScheduler(RECONCILE_SCHEDULER_ID, { pattern, tz }, { name: RECONCILE_JOB, data: { trigger: 'nightly' } satisfies ReconcileJob });
  return {
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
