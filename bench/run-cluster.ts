import { startRedisCluster } from '../emulators/redis-topology.js';
import { rateLimitedRun } from './run-rate-limited.js';
import { ratio } from './stats.js';
import type { Benchmark } from './types.js';

/** Goal (issue 14): a rate-limited run on a Redis Cluster within 1.1× of the same run on a single Redis. */
const GOAL_RATIO = 1.1;

/**
 * The same rate-limited run twice in one invocation: on a single redis-server, then on a Redis Cluster of three
 * masters and three replicas (every money write waits for a replica there). Elapsed times side by side, and their ratio.
 */
export function runOnCluster(options: { lines?: number; perSecond?: number } = {}): Benchmark {
  const lineCount = options.lines ?? 750;
  const perSecond = options.perSecond ?? 25;
  return {
    name: 'run-cluster',
    description: `run of ${lineCount} transfers at ${perSecond}/s on a single Redis, then on a Redis Cluster (3 masters, 3 replicas); goal: cluster within ${GOAL_RATIO}× of single`,
    async run() {
      const single = await rateLimitedRun('run-single-redis', lineCount, perSecond);
      const cluster = await startRedisCluster();
      let onCluster: Record<string, number | string>;
      try {
        onCluster = await rateLimitedRun('run-redis-cluster', lineCount, perSecond, cluster.env);
      } finally {
        await cluster.stop();
      }
      const clusterToSingle = ratio(Number(onCluster.elapsedS), Number(single.elapsedS));
      const pick = (figures: Record<string, number | string>, prefix: string) =>
        Object.fromEntries(
          [
            'elapsedS',
            'ratio.elapsedToFloor',
            'stripe.rateLimited429',
            'worker.peakRssMb',
            'transfers.check',
            'duplicates.check',
            'amounts.check',
          ].map((k) => [`${prefix}.${k}`, figures[k]!]),
        );
      return {
        lines: lineCount,
        perSecond,
        ...pick(single, 'single'),
        ...pick(onCluster, 'cluster'),
        'ratio.clusterToSingle': clusterToSingle,
        'goal.clusterToSingle': GOAL_RATIO,
        'goal.check': clusterToSingle <= GOAL_RATIO ? 'met' : 'not met',
      };
    },
  };
}
