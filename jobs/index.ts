import type { Worker } from 'bullmq';
import type { AppDeps } from '../src/deps.js';
import { closeRedis, createRedis } from '../src/adapters/redis/connection.js';
import { RECONCILE_JOB, RECONCILE_SCHEDULER_ID, type ReconcileJob } from '../src/adapters/queue/queues.js';
import { superviseWorkers } from './supervisor.js';
import { FUNDING_CHECK_SCHEDULER_ID, SWEEP_SCHEDULER_ID, workerFactories } from './workers.js';
import { FUNDING_CHECK_JOB } from '../src/adapters/queue/funding-checks.js';

export interface Workers {
  /** The BullMQ workers running now, for readiness. */
  current(): Worker[];
  /** Stops taking jobs, lets running ones finish, closes the worker connection. */
  close(): Promise<void>;
}

/** How often the workers are checked, and how long jobs may wait untaken before a worker counts as stalled. */
const SUPERVISION = { checkMs: 5_000, stallMs: 15_000 };

export async function startWorkers(deps: AppDeps): Promise<Workers> {
  const connection = createRedis(deps.config.redis, 'worker', deps.logger);
  const queues = new Map(deps.queues.all.map((queue) => [queue.name, queue]));
  const workers = superviseWorkers(workerFactories(deps, connection), (name) => queues.get(name)!, deps.logger, SUPERVISION);
  await Promise.all(workers.current().map((w) => w.waitUntilReady()));
  // One scheduler however many workers run: upsert is idempotent by id.
  await deps.queues.maintenance.upsertJobScheduler(SWEEP_SCHEDULER_ID, { every: deps.config.SWEEP_INTERVAL_SECONDS * 1000 }, { name: 'sweep' });
  // Nightly, in RECONCILE_AT's zone; BullMQ makes one job per night whichever worker upserts it.
  const { pattern, tz } = deps.config.RECONCILE_AT;
  await deps.queues.maintenance.upsertJobScheduler(RECONCILE_SCHEDULER_ID, { pattern, tz }, { name: RECONCILE_JOB, data: { trigger: 'nightly' } satisfies ReconcileJob });
  // Shortfalls come nearer as days pass, with nothing else changing.
  await deps.queues.maintenance.upsertJobScheduler(FUNDING_CHECK_SCHEDULER_ID, { pattern: '0 6 * * *', tz: 'UTC' }, { name: FUNDING_CHECK_JOB });
  return {
    current: () => workers.current(),
    async close() {
      await workers.close();
      await closeRedis(connection);
    },
  };
}
