import type { AppDeps } from '../src/deps.js';
import { createRedis } from '../src/adapters/redis/connection.js';
import { createWorkers, SWEEP_SCHEDULER_ID } from './workers.js';

export interface Workers {
  /** Stops taking jobs, lets running ones finish, closes the worker connection. */
  close(): Promise<void>;
}

export async function startWorkers(deps: AppDeps): Promise<Workers> {
  const connection = createRedis(deps.config.REDIS_URL, 'worker', deps.logger);
  const workers = createWorkers(deps, connection);
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  // One scheduler however many workers run: upsert is idempotent by id.
  await deps.queues.maintenance.upsertJobScheduler(SWEEP_SCHEDULER_ID, { every: deps.config.SWEEP_INTERVAL_SECONDS * 1000 }, { name: 'sweep' });
  return {
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
