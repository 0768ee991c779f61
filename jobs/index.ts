import type { Worker } from 'bullmq';
import { closeRedis, createRedis } from '../src/adapters/redis/connection.js';
import type { AppDeps } from '../src/deps.js';
import { MAINTENANCE_JOBS, type ReconcileJob, SCHEDULER_IDS } from './maintenance.job.js';
import { superviseWorkers } from './supervisor.js';
import { workerFactories } from './workers.js';

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
  const workers = superviseWorkers(
    workerFactories(deps, connection),
    (name) => queues.get(name)!,
    deps.logger,
    SUPERVISION,
  );
  await Promise.all(workers.current().map((w) => w.waitUntilReady()));
  // One scheduler however many workers run: upsert is idempotent by id.
  await deps.queues.maintenance.upsertJobScheduler(
    SCHEDULER_IDS.sweep,
    { every: deps.config.SWEEP_INTERVAL_SECONDS * 1000 },
    { name: MAINTENANCE_JOBS.sweep },
  );
  // Nightly, in RECONCILE_AT's zone; BullMQ makes one job per night whichever worker upserts it.
  const { pattern, tz } = deps.config.RECONCILE_AT;
  await deps.queues.maintenance.upsertJobScheduler(
    SCHEDULER_IDS.reconcile,
    { pattern, tz },
    { name: MAINTENANCE_JOBS.reconcile, data: { trigger: 'nightly' } satisfies ReconcileJob },
  );
  // Shortfalls come nearer as days pass, with nothing else changing.
  await deps.queues.maintenance.upsertJobScheduler(
    SCHEDULER_IDS.fundingCheck,
    { pattern: '0 6 * * *', tz: 'UTC' },
    { name: MAINTENANCE_JOBS.fundingCheck },
  );
  return {
    current: () => workers.current(),
    async close() {
      await workers.close();
      await closeRedis(connection);
    },
  };
}
