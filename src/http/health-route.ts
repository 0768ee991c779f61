import type { CustomRoute } from '@slack/bolt';
import type { Worker } from 'bullmq';
import type { RedisClient } from '../adapters/redis/connection.js';
import { sendJson } from './respond.js';

/** Whether Redis answers PING within a second. */
export function redisAnswers(redis: RedisClient): Promise<boolean> {
  return Promise.race([
    redis.ping().then(
      (reply) => reply === 'PONG',
      () => false,
    ),
    new Promise<false>((resolve) => setTimeout(resolve, 1_000, false).unref()),
  ]);
}

/** Liveness: 200 when Redis answers within a second, 503 otherwise; served by every role. */
export function healthRoute(redis: RedisClient): CustomRoute {
  return {
    path: '/healthz',
    method: 'GET',
    handler: async (_req, res) => {
      const ok = await redisAnswers(redis);
      sendJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'redis unavailable' });
    },
  };
}

/**
 * Readiness: 200 only when this role's parts run. Redis answers, and on a worker role (`workers` given) every BullMQ
 * worker is running and not closed; `workers()` is undefined while they are still starting.
 */
export function readinessRoute(redis: RedisClient, workers?: () => Worker[] | undefined): CustomRoute {
  return {
    path: '/readyz',
    method: 'GET',
    handler: async (_req, res) => {
      const problems: string[] = [];
      if (!(await redisAnswers(redis))) problems.push('redis unavailable');
      if (workers) {
        const running = workers();
        if (!running) problems.push('workers starting');
        else for (const w of running) if (w.closing || !w.isRunning()) problems.push(`worker ${w.name} not running`);
      }
      sendJson(
        res,
        problems.length ? 503 : 200,
        problems.length ? { status: 'not ready', problems } : { status: 'ready' },
      );
    },
  };
}
