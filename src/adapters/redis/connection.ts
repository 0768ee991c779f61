import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../../logger.js';

/**
 * Connections by role, as BullMQ recommends: commands fail fast so a Slack request never hangs on a dead Redis,
 * while blocking worker connections wait for Redis to come back.
 */
export type RedisRole = 'commands' | 'worker';

export function createRedis(url: string, role: RedisRole, logger: Logger): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: true, connectTimeout: 5_000 };
  const redis = new Redis(url, { ...options, lazyConnect: false, retryStrategy: (times) => Math.min(times * 200, 2_000) });
  let lastError = '';
  redis.on('error', (error: Error) => {
    // One line per distinct failure, not one per reconnect attempt.
    if (error.message !== lastError) logger.error({ err: error, role }, 'redis connection error');
    lastError = error.message;
  });
  redis.on('ready', () => {
    if (lastError) logger.info({ role }, 'redis connection restored');
    lastError = '';
  });
  return redis;
}

export class RedisPolicyError extends Error {}

/** BullMQ and our records must never be evicted: refuse to run on a Redis that may evict keys. */
export async function assertNoEviction(redis: Redis, logger: Logger): Promise<void> {
  let policy: string | undefined;
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    policy = reply[1];
  } catch (error) {
    logger.warn({ err: error }, 'could not read maxmemory-policy (CONFIG GET is not allowed here); make sure it is noeviction');
    return;
  }
  if (policy !== undefined && policy !== 'noeviction') {
    throw new RedisPolicyError(
      `Redis maxmemory-policy is "${policy}", but payout-ops needs "noeviction" so that queued payments and records are never evicted. ` +
        'Fix it with `redis-cli CONFIG SET maxmemory-policy noeviction` (and in redis.conf), or choose the noeviction policy in your managed Redis.',
    );
  }
}
