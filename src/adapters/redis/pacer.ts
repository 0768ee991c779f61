import type { RedisClient } from './connection.js';
import { storeKey } from './keys.js';

/**
 * Spreads calls evenly over time for every process sharing one Redis: each caller is handed the next free slot
 * (one every 1/rate seconds) and waits for it, so calls go one by one instead of in a burst at the start of a
 * window. The rate adapts to Stripe: a 429 pushes the next slot past its Retry-After and lowers the rate, which
 * then climbs back, a little each second, to the configured ceiling.
 */
export interface Pacer {
  /** Resolves when this caller's slot has come. */
  take(): Promise<void>;
  /** Stripe said 429: no slot before `retryAfterMs` from now (one interval when Stripe gave none), at a lower rate. */
  slowDown(retryAfterMs?: number): Promise<void>;
  /** The shared state, for tests and metrics: calls per second now, and the next free slot (ms since epoch). */
  state(): Promise<{ perSecond: number; nextSlotMs: number }>;
}

export interface PacerOptions {
  /** The ceiling: calls per second when Stripe does not push back. */
  perSecond: number;
  /** A 429 multiplies the rate by this. */
  decrease?: number;
  /** After a 429, the rate climbs back by this fraction of the ceiling per second. */
  recoveryPerSecond?: number;
  /** The rate never goes below this fraction of the ceiling. */
  floor?: number;
}

/** Redis' own clock in ms, so processes on several machines share one timeline. */
const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000`;

/**
 * KEYS[1] the pacer's hash · ARGV ceiling, recovery per second (calls/s per s). The rate recovers with the time
 * since the last change; the slot is the later of now and the next free one. Returns the wait in µs.
 */
const TAKE = `
${NOW}
local s = redis.call('HMGET', KEYS[1], 'next', 'rate', 'at')
local ceiling = tonumber(ARGV[1])
local rate = tonumber(s[2]) or ceiling
local at = tonumber(s[3]) or now
rate = math.min(ceiling, rate + tonumber(ARGV[2]) * math.max(0, now - at) / 1000)
local slot = math.max(now, tonumber(s[1]) or now)
redis.call('HSET', KEYS[1], 'next', tostring(slot + 1000 / rate), 'rate', tostring(rate), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 3600000)
return math.floor((slot - now) * 1000)
`;

/** KEYS[1] the pacer's hash · ARGV ceiling, retry-after ms (0: one interval), decrease, floor rate. */
const SLOW_DOWN = `
${NOW}
local s = redis.call('HMGET', KEYS[1], 'next', 'rate')
local rate = tonumber(s[2]) or tonumber(ARGV[1])
rate = math.max(tonumber(ARGV[4]), rate * tonumber(ARGV[3]))
local pause = tonumber(ARGV[2])
if pause <= 0 then pause = 1000 / rate end
local nextSlot = math.max(tonumber(s[1]) or now, now + pause)
redis.call('HSET', KEYS[1], 'next', tostring(nextSlot), 'rate', tostring(rate), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 3600000)
return 1
`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createRedisPacer(redis: RedisClient, name: string, options: PacerOptions): Pacer {
  const key = storeKey(`pace:${name}`);
  const ceiling = options.perSecond;
  const recovery = ceiling * (options.recoveryPerSecond ?? 0.01);
  const decrease = options.decrease ?? 0.97;
  const floor = ceiling * (options.floor ?? 0.05);
  return {
    async take() {
      const waitUs = Number(await redis.eval(TAKE, 1, key, ceiling, recovery));
      if (waitUs >= 1_000) await sleep(waitUs / 1_000);
    },
    async slowDown(retryAfterMs = 0) {
      await redis.eval(SLOW_DOWN, 1, key, ceiling, retryAfterMs, decrease, floor);
    },
    async state() {
      const [next, rate] = await redis.hmget(key, 'next', 'rate');
      return { perSecond: rate ? Number(rate) : ceiling, nextSlotMs: next ? Number(next) : 0 };
    },
  };
}
