import type { RedisClient } from './connection.js';
import { storeKey } from './keys.js';
import type { SellerStore } from '../../domain/ports.js';
import type { Seller } from '../../domain/sellers.types.js';
import { createVersionedJsonStore, encodeNewRecord } from './versioned-json.js';

/** The record and its indexes appear together or not at all. */
const CREATE_SCRIPT = `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[3])
return 1
`;

const sellerKey = (teamId: string, userId: string) => storeKey(`seller:${teamId}:${userId}`);
const accountIndexKey = (accountId: string) => storeKey(`seller-account:${accountId}`);
const teamIndexKey = (teamId: string) => storeKey(`sellers:${teamId}`);

export function createRedisSellerStore(redis: RedisClient): SellerStore {
  const records = createVersionedJsonStore<Seller>(redis);
  const get = async (teamId: string, userId: string) => (await records.get(sellerKey(teamId, userId)))?.value;
  return {
    get,
    async getByAccount(accountId) {
      const owner = await redis.get(accountIndexKey(accountId));
      if (!owner) return undefined;
      const [teamId, userId] = owner.split(':') as [string, string];
      return get(teamId, userId);
    },
    async createIfAbsent(seller) {
      const keys = [sellerKey(seller.teamId, seller.userId), accountIndexKey(seller.accountId), teamIndexKey(seller.teamId)];
      const args = [encodeNewRecord(seller), `${seller.teamId}:${seller.userId}`, seller.userId];
      if ((await redis.eval(CREATE_SCRIPT, keys.length, ...keys, ...args)) === 1) return { seller, created: true };
      const existing = await get(seller.teamId, seller.userId);
      if (!existing) throw new Error('seller record vanished while being created');
      return { seller: existing, created: false };
    },
    update: (teamId, userId, change) => records.update(sellerKey(teamId, userId), change),
    async list(teamId) {
      const userIds = (await redis.smembers(teamIndexKey(teamId))).sort();
      if (userIds.length === 0) return [];
      const raws = await redis.mget(userIds.map((id) => sellerKey(teamId, id)));
      return raws.flatMap((raw) => (raw ? [(JSON.parse(raw) as { data: Seller }).data] : []));
    },
  };
}
