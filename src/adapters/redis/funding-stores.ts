import type { AutoFunding, AutoTopup, ShortfallNotice } from '../../domain/funding.types.js';
import type { AutoFundingStore, ShortfallNoticeStore } from '../../domain/ports.js';
import type { RedisClient } from './connection.js';
import { storeKey } from './keys.js';
import { createVersionedJsonStore, encodeNewRecord } from './versioned-json.js';

const OPEN_NOTICES = storeKey('funding:notices:open');
const noticeKey = (key: string) => storeKey(`funding:notice:${key}`);

export function createRedisShortfallNoticeStore(redis: RedisClient): ShortfallNoticeStore {
  const records = createVersionedJsonStore<ShortfallNotice>(redis, { indexKey: OPEN_NOTICES });
  const get = async (key: string) => (await records.get(noticeKey(key)))?.value;
  return {
    claim: (notice) =>
      records.create(noticeKey(notice.key), notice, { index: { member: notice.key, score: Date.parse(notice.day) } }),
    get,
    update: (key, change) =>
      records.update(noticeKey(key), change, (_before, after) =>
        after.status === 'open' ? {} : { index: { member: key, remove: true } },
      ),
    async release(key) {
      await redis.multi().del(noticeKey(key)).zrem(OPEN_NOTICES, key).exec();
    },
    async open() {
      const notices = await Promise.all((await redis.zrange(OPEN_NOTICES, 0, -1)).map(get));
      return notices.filter((n): n is ShortfallNotice => n !== undefined && n.status === 'open');
    },
  };
}

const permissionsKey = storeKey('funding:auto');
const topupKey = (key: string) => storeKey(`funding:auto-topup:${key}`);
const claimsKey = (currency: string) => storeKey(`funding:auto-topups:${currency}`);

/** Claims within the rolling cap: members are `<key>|<amount>`, scored by when they were claimed. */
const CLAIM_TOPUP = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 'exists' end
local used = 0
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], ARGV[3], '+inf')) do
  used = used + tonumber(string.match(member, '|(%d+)$'))
end
if used + tonumber(ARGV[4]) > tonumber(ARGV[5]) then return 'over_cap' end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[6])
return 'claimed'
`;

export function createRedisAutoFundingStore(redis: RedisClient): AutoFundingStore {
  const topups = createVersionedJsonStore<AutoTopup>(redis);
  const member = (t: AutoTopup) => `${t.key}|${t.amount}`;
  const usedSince = async (currency: string, since: Date) =>
    (await redis.zrangebyscore(claimsKey(currency), since.getTime(), '+inf')).reduce(
      (sum, m) => sum + Number(m.split('|')[1]),
      0,
    );
  return {
    async permission(currency) {
      const raw = await redis.hget(permissionsKey, currency);
      return raw ? (JSON.parse(raw) as AutoFunding) : undefined;
    },
    async permissions() {
      return Object.values(await redis.hgetall(permissionsKey)).map((raw) => JSON.parse(raw) as AutoFunding);
    },
    async grant(permission) {
      await redis.hset(permissionsKey, permission.currency, JSON.stringify(permission));
    },
    async revoke(currency) {
      const [[, raw] = []] =
        (await redis.multi().hget(permissionsKey, currency).hdel(permissionsKey, currency).exec()) ?? [];
      return typeof raw === 'string' ? (JSON.parse(raw) as AutoFunding) : undefined;
    },
    async claimTopup(topup, cap, since) {
      const claimedAt = Date.parse(topup.claimedAt);
      return (await redis.eval(
        CLAIM_TOPUP,
        2,
        topupKey(topup.key),
        claimsKey(topup.currency),
        encodeNewRecord(topup),
        claimedAt,
        since.getTime(),
        topup.amount,
        cap,
        member(topup),
      )) as 'claimed' | 'exists' | 'over_cap';
    },
    topup: async (key) => (await topups.get(topupKey(key)))?.value,
    async updateTopup(key, change) {
      const result = await topups.update(topupKey(key), change);
      if (result?.changed && result.after.status === 'failed' && result.before.status !== 'failed')
        await redis.zrem(claimsKey(result.after.currency), member(result.after));
      return result;
    },
    usedSince,
  };
}
