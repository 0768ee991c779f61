import type { Redis } from 'ioredis';
import RedisMock from 'ioredis-mock';
import { describe, expect, it } from 'vitest';
import { createOnceRegistry } from '../../src/adapters/redis/once.js';

// Pure SET NX logic, with no BullMQ in sight: the one place an in-memory Redis is enough.
describe('once registry', () => {
  it('when the same id is claimed twice, then only the first claim wins, per scope, until it expires', async () => {
    const redis = new RedisMock() as unknown as Redis;
    const once = createOnceRegistry(redis);
    expect(await once.claim('slack-trigger', 't1', 60)).toBe(true);
    expect(await once.claim('slack-trigger', 't1', 60)).toBe(false);
    expect(await once.claim('missed-firing', 't1', 60)).toBe(true);
    expect(await redis.ttl('{payout}:once:slack-trigger:t1')).toBeGreaterThan(55);
  });
});
