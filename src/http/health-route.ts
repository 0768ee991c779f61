import type { CustomRoute } from '@slack/bolt';
import type { RedisClient } from '../adapters/redis/connection.js';
import { sendJson } from './respond.js';

/** 200 when Redis answers within a second, 503 otherwise; served by every role. */
export function healthRoute(redis: RedisClient): CustomRoute {
  return {
    path: '/healthz',
    method: 'GET',
    handler: async (_req, res) => {
      const ok = await Promise.race([
        redis.ping().then((reply) => reply === 'PONG', () => false),
        new Promise<false>((resolve) => setTimeout(resolve, 1_000, false).unref()),
      ]);
      sendJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'redis unavailable' });
    },
  };
}
