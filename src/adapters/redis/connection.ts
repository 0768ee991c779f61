import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import type { RedisTarget } from '../../config.js';
import type { Logger } from '../../logger.js';

/** A connection to one Redis, a master behind Sentinels, or a Cluster: our stores and BullMQ take either. */
export type RedisClient = Redis | Cluster;

/**
 * Connections by role, as BullMQ recommends: commands fail fast so a Slack request never hangs on a dead Redis,
 * while blocking worker connections wait for Redis to come back.
 */
export type RedisRole = 'commands' | 'worker';

const retryStrategy = (times: number) => Math.min(times * 200, 2_000);

/** The one place a Redis connection is made. */
export function createRedis(target: RedisTarget, role: RedisRole, logger: Logger): RedisClient {
  const options: RedisOptions = {
    ...(role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: true, connectTimeout: 5_000 }),
    ...(target.password ? { password: target.password } : {}),
    retryStrategy,
  };
  const redis = connect(target, options);
  let lastError = '';
  redis.on('error', (error: Error) => {
    // One line per distinct failure, not one per reconnect attempt.
    if (error.message !== lastError) logger.error({ err: error, role, redis: target.kind }, 'redis connection error');
    lastError = error.message;
  });
  redis.on('ready', () => {
    if (lastError) logger.info({ role, redis: target.kind }, 'redis connection restored');
    lastError = '';
  });
  // ioredis ends a connection for good when its Sentinel connector fails mid-failover; only closeRedis() may end one.
  redis.on('end', () => {
    if (closed.has(redis)) return;
    logger.warn({ role, redis: target.kind }, 'redis connection ended; reconnecting');
    setTimeout(() => redis.connect().catch(() => undefined), retryStrategy(1)).unref();
  });
  return redis;
}

const closed = new WeakSet<RedisClient>();

/** Closes a connection made by createRedis() for good (QUIT, or a plain disconnect when Redis does not answer). */
export async function closeRedis(redis: RedisClient): Promise<void> {
  closed.add(redis);
  await redis.quit().catch(() => redis.disconnect());
}

function connect(target: RedisTarget, options: RedisOptions): RedisClient {
  switch (target.kind) {
    case 'single':
      return new Redis(target.url, options);
    case 'sentinel':
      // failoverDetector follows +switch-master at once instead of waiting for the old master's socket to fail.
      return new Redis({
        ...options,
        sentinels: target.sentinels,
        name: target.name,
        failoverDetector: true,
        sentinelRetryStrategy: retryStrategy,
      });
    case 'cluster': {
      const clusterOptions: ClusterOptions = {
        redisOptions: options,
        clusterRetryStrategy: retryStrategy,
        // During a failover the slots answer CLUSTERDOWN or move: wait and follow rather than fail the command.
        retryDelayOnClusterDown: 300,
        retryDelayOnFailover: 300,
        retryDelayOnTryAgain: 300,
        ...(options.maxRetriesPerRequest === null ? {} : { enableOfflineQueue: true }),
      };
      return new Cluster(target.nodes, clusterOptions);
    }
  }
}

export class RedisPolicyError extends Error {}

/** BullMQ and our records must never be evicted: refuse to run on a Redis that may evict keys. */
export async function assertNoEviction(redis: RedisClient, logger: Logger): Promise<void> {
  let policy: string | undefined;
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    policy = reply[1];
  } catch (error) {
    logger.warn(
      { err: error },
      'could not read maxmemory-policy (CONFIG GET is not allowed here); make sure it is noeviction',
    );
    return;
  }
  if (policy !== undefined && policy !== 'noeviction') {
    throw new RedisPolicyError(
      `Redis maxmemory-policy is "${policy}", but payout-ops needs "noeviction" so that queued payments and records are never evicted. ` +
        'Fix it with `redis-cli CONFIG SET maxmemory-policy noeviction` (and in redis.conf), or choose the noeviction policy in your managed Redis.',
    );
  }
}
