import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServerHandle, startRedisServer } from '../../emulators/redis-server.js';
import { createRedisPacer } from '../../src/adapters/redis/pacer.js';

let server: RedisServerHandle;
let clients: Redis[];

beforeAll(async () => {
  server = await startRedisServer();
  // Two connections, as two worker processes would have.
  clients = [new Redis(server.url), new Redis(server.url)];
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server?.stop();
});

/** `count` calls shared round-robin by the pacers, 8 in flight per pacer; the instants (ms) each was let through. */
async function callTimes(pacers: ReturnType<typeof createRedisPacer>[], count: number): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  const caller = async (pacer: ReturnType<typeof createRedisPacer>) => {
    while (next < count) {
      next += 1;
      await pacer.take();
      times.push(performance.now());
    }
  };
  await Promise.all(pacers.flatMap((pacer) => Array.from({ length: 8 }, () => caller(pacer))));
  return times.sort((a, b) => a - b);
}

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);

describe('transfer pacer', () => {
  it('when two pacers share a key space, then together they call at most rate per second, evenly spaced', async () => {
    const pacers = clients.map((redis) => createRedisPacer(redis, 'even', { perSecond: 50 }));
    const times = await callTimes(pacers, 101);
    const spanMs = times.at(-1)! - times[0]!;
    // 100 intervals of 20 ms: at most 50 a second, not faster; timers may add a little.
    expect(spanMs).toBeGreaterThanOrEqual(1_990);
    expect(spanMs).toBeLessThan(2_300);
    for (let start = 0; start < times.length; start++) {
      expect(times.filter((t) => t >= times[start]! && t < times[start]! + 1_000).length).toBeLessThanOrEqual(51);
    }
    // Evenly: no burst of calls at once (a window limiter would let 50 go together).
    expect(gaps(times).filter((gap) => gap < 5).length).toBeLessThan(10);
  });

  it('when Stripe answers 429, then the next call waits for Retry-After at a lower rate, and the rate climbs back to the ceiling', async () => {
    const pacer = createRedisPacer(clients[0]!, 'adaptive', { perSecond: 50, decrease: 0.5, recoveryPerSecond: 0.5 });
    await pacer.take();
    const before = performance.now();
    await pacer.slowDown(300);
    await pacer.take();
    expect(performance.now() - before).toBeGreaterThanOrEqual(290);
    expect((await pacer.state()).perSecond).toBeLessThan(30);
    // Half the ceiling back per second: from 25/s to 50/s within about a second of calls.
    await callTimes([pacer], 60);
    expect((await pacer.state()).perSecond).toBe(50);
  });
});
