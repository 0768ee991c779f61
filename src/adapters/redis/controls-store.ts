import { scopeKey } from '../../domain/controls.js';
import type { Freeze, LimitHold } from '../../domain/controls.types.js';
import type { FreezeStore, LimitHoldStore, VelocityCounter } from '../../domain/ports.js';
import type { RedisClient } from './connection.js';
import { storeKey } from './keys.js';

const FREEZES = storeKey('freezes');

export function createRedisFreezeStore(redis: RedisClient): FreezeStore {
  return {
    async add(freeze) {
      return (await redis.hsetnx(FREEZES, scopeKey(freeze.scope), JSON.stringify(freeze))) === 1;
    },
    async remove(key) {
      // HGETDEL is Redis 8; a small script keeps read-and-remove one step on older servers.
      const raw = (await redis.eval(
        "local v = redis.call('HGET', KEYS[1], ARGV[1]) if v then redis.call('HDEL', KEYS[1], ARGV[1]) end return v",
        1,
        FREEZES,
        key,
      )) as string | null;
      return raw ? (JSON.parse(raw) as Freeze) : undefined;
    },
    async list() {
      return Object.values(await redis.hgetall(FREEZES)).map((raw) => JSON.parse(raw) as Freeze);
    },
  };
}

/** Counters live two days (today's and a late release of yesterday's). */
const COUNTER_TTL_SECONDS = 2 * 86_400;
const totalKey = (day: string, currency: string) => storeKey(`velocity:${day}:${currency}`);
const sellerKey = (day: string, currency: string, accountId: string) =>
  storeKey(`velocity:${day}:${currency}:${accountId}`);
const countedKey = (payoutRef: string) => storeKey(`velocity:counted:${payoutRef}`);

/**
 * Check and count in one step, so concurrent payments cannot pass a limit together. A reference counts once: a
 * retried payment finds its mark and goes on. Returns {1} when counted (or counted before), {0, which, used}.
 */
const RESERVE = `
if redis.call('EXISTS', KEYS[3]) == 1 then return {1} end
local amount = tonumber(ARGV[1])
local total = tonumber(redis.call('GET', KEYS[1]) or '0')
local seller = tonumber(redis.call('GET', KEYS[2]) or '0')
if ARGV[2] ~= '' and total + amount > tonumber(ARGV[2]) then return {0, 1, total} end
if ARGV[3] ~= '' and seller + amount > tonumber(ARGV[3]) then return {0, 2, seller} end
redis.call('INCRBY', KEYS[1], amount)
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('INCRBY', KEYS[2], amount)
redis.call('EXPIRE', KEYS[2], ARGV[5])
redis.call('SET', KEYS[3], ARGV[4], 'EX', ARGV[5])
return {1}
`;

/** Gives back what a reference counted, once, to the counters it counted on. */
const RELEASE = `
if redis.call('GET', KEYS[3]) ~= ARGV[1] then return 0 end
redis.call('DECRBY', KEYS[1], ARGV[2])
redis.call('DECRBY', KEYS[2], ARGV[2])
redis.call('DEL', KEYS[3])
return 1
`;

interface Counted {
  day: string;
  currency: string;
  accountId: string;
  amount: number;
}

export function createRedisVelocityCounter(redis: RedisClient): VelocityCounter {
  return {
    async reserve({ payoutRef, day, money, accountId, limits }) {
      const mark: Counted = { day, currency: money.currency, accountId, amount: money.amount };
      const keys = [totalKey(day, money.currency), sellerKey(day, money.currency, accountId), countedKey(payoutRef)];
      const args = [
        money.amount,
        limits.total ?? '',
        limits.perSeller ?? '',
        JSON.stringify(mark),
        COUNTER_TTL_SECONDS,
      ];
      const [ok, which, used] = (await redis.eval(RESERVE, keys.length, ...keys, ...args)) as number[];
      if (ok === 1) return { ok: true };
      return which === 1
        ? { ok: false, which: 'total', limit: limits.total!, used: used! }
        : { ok: false, which: 'seller', limit: limits.perSeller!, used: used! };
    },
    async used(day, currency, accountId) {
      const [total, seller] = await redis.mget(
        totalKey(day, currency),
        accountId ? sellerKey(day, currency, accountId) : totalKey(day, currency),
      );
      return { total: Number(total ?? 0), seller: accountId ? Number(seller ?? 0) : 0 };
    },
    async release(payoutRef) {
      const raw = await redis.get(countedKey(payoutRef));
      if (!raw) return;
      const mark = JSON.parse(raw) as Counted;
      const keys = [
        totalKey(mark.day, mark.currency),
        sellerKey(mark.day, mark.currency, mark.accountId),
        countedKey(payoutRef),
      ];
      await redis.eval(RELEASE, keys.length, ...keys, raw, mark.amount);
    },
  };
}

const holdKey = (payoutRef: string) => storeKey(`limit:hold:${payoutRef}`);
/** The held payments by when they were first held: what the approver's Home tab lists. */
const HOLDS = storeKey('limit:holds');
const overrideKey = (payoutRef: string, day: string) => storeKey(`limit:override:${day}:${payoutRef}`);

export function createRedisLimitHoldStore(redis: RedisClient): LimitHoldStore {
  return {
    async hold(hold) {
      await redis
        .multi()
        .set(holdKey(hold.payoutRef), JSON.stringify(hold), 'EX', COUNTER_TTL_SECONDS)
        .zadd(HOLDS, 'NX', Date.now(), hold.payoutRef)
        .exec();
    },
    async get(payoutRef) {
      const raw = await redis.get(holdKey(payoutRef));
      return raw ? (JSON.parse(raw) as LimitHold) : undefined;
    },
    async override(payoutRef, day) {
      await redis.set(overrideKey(payoutRef, day), '1', 'EX', COUNTER_TTL_SECONDS);
    },
    async standing(payoutRef, day) {
      const [held, overridden] = await Promise.all([
        redis.exists(holdKey(payoutRef)),
        redis.exists(overrideKey(payoutRef, day)),
      ]);
      return { held: held === 1, overridden: overridden === 1 };
    },
    async list(limit) {
      const [refs, total] = await Promise.all([redis.zrange(HOLDS, 0, limit - 1), redis.zcard(HOLDS)]);
      if (refs.length === 0) return { holds: [], total };
      const raws = await redis.mget(refs.map(holdKey));
      // A hold whose record expired waits no more (it was never cleared, e.g. its job was removed): it leaves the list.
      const expired = refs.filter((_, i) => !raws[i]);
      if (expired.length > 0) await redis.zrem(HOLDS, ...expired);
      return {
        holds: raws.flatMap((raw) => (raw ? [JSON.parse(raw) as LimitHold] : [])),
        total: total - expired.length,
      };
    },
    async clear(payoutRef) {
      await redis.multi().del(holdKey(payoutRef)).zrem(HOLDS, payoutRef).exec();
    },
  };
}
