import type { AppDeps } from '../src/deps.js';
import { createRedis } from '../src/adapters/redis/connection.js';
import { createStripeEventWorker } from './stripe-event.worker.js';

export interface Workers {
  /** Stops taking jobs, lets running ones finish, closes the worker connection. */
  close(): Promise<void>;
}

export function startWorkers(deps: AppDeps): Workers {
  const connection = createRedis(deps.config.REDIS_URL, 'worker', deps.logger);
  const workers = [createStripeEventWorker(deps, connection)];
  for (const worker of workers) worker.on('error', (error) => deps.logger.error({ err: error, event: 'worker.error', queue: worker.name }, 'worker error'));
  return {
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
