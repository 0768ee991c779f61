import type { RedisClient } from './connection.js';
import { storeKey } from './keys.js';

/**
 * Remembers that something was done (a Slack delivery seen, an alert sent) so it is done once.
 * `claim` is SET NX with an expiry: true for the first caller only.
 */
export interface OnceRegistry {
  claim(scope: string, id: string, ttlSeconds: number): Promise<boolean>;
}

export function createOnceRegistry(redis: RedisClient): OnceRegistry {
  const key = (scope: string, id: string) => storeKey(`once:${scope}:${id}`);
  return {
    async claim(scope, id, ttlSeconds) {
      return (await redis.set(key(scope, id), '1', 'EX', ttlSeconds, 'NX')) === 'OK';
    },
  };
}
