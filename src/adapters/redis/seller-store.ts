import type { SellerStore } from '../../domain/ports.js';
import { normaliseSearchText, searchTermsOf } from '../../domain/seller-search.js';
import type { Seller } from '../../domain/sellers.types.js';
import type { RedisClient } from './connection.js';
import { storeKey } from './keys.js';
import { createVersionedJsonStore, encodeNewRecord } from './versioned-json.js';

/** The record and its indexes appear together or not at all. A workspace's first seller finds nothing to backfill. */
const CREATE_SCRIPT = `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
if redis.call('SCARD', KEYS[3]) == 0 then redis.call('SET', KEYS[4], 'new') end
redis.call('SADD', KEYS[3], ARGV[3])
return 1
`;

/**
 * Makes the search indexes say what one version of a seller record says: its old name entries go, its new ones come.
 * Applied only while that version is the stored one, so an index write that arrives after a newer record's is dropped
 * (the newer write indexes itself). ARGV: version, userId, payable (1|0), then the members `<term>\t<userId>`.
 */
const SYNC_INDEX_SCRIPT = `
local raw = redis.call('GET', KEYS[1])
if not raw or tonumber(cjson.decode(raw)['v']) ~= tonumber(ARGV[1]) then return 0 end
local old = redis.call('HGET', KEYS[4], ARGV[2])
if old then for member in string.gmatch(old, '[^\\n]+') do redis.call('ZREM', KEYS[2], member) end end
for i = 4, #ARGV do redis.call('ZADD', KEYS[2], 0, ARGV[i]) end
redis.call('HSET', KEYS[4], ARGV[2], table.concat(ARGV, '\\n', 4))
if ARGV[3] == '1' then redis.call('SADD', KEYS[3], ARGV[2]) else redis.call('SREM', KEYS[3], ARGV[2]) end
redis.call('ZADD', KEYS[5], 0, ARGV[2])
return 1
`;

const sellerKey = (teamId: string, userId: string) => storeKey(`seller:${teamId}:${userId}`);
const accountIndexKey = (accountId: string) => storeKey(`seller-account:${accountId}`);
const teamIndexKey = (teamId: string) => storeKey(`sellers:${teamId}`);
/** Payable sellers' search terms, `<normalised term>\t<userId>`, all at score 0 so ZRANGEBYLEX finds a prefix. */
const namesKey = (teamId: string) => storeKey(`sellers:${teamId}:names`);
const payableKey = (teamId: string) => storeKey(`sellers:${teamId}:payable`);
/** Each seller's members of the names index, to remove them when the name or state changes. */
const termsKey = (teamId: string) => storeKey(`sellers:${teamId}:terms`);
/** Every seller by user id (score 0, lexical order), for paging. */
const sortedKey = (teamId: string) => storeKey(`sellers:${teamId}:sorted`);
/** Set once every seller stored before the indexes existed has been indexed. */
const indexedKey = (teamId: string) => storeKey(`sellers:${teamId}:indexed`);

/** Keys read or indexed per round trip. */
const READ_CHUNK = 500;
/** A seller has a handful of terms: reading a few times the limit leaves enough distinct sellers after de-duplication. */
const TERMS_READ_PER_RESULT = 4;

const decode = (raw: string | null): { v: number; data: Seller } | undefined =>
  raw ? (JSON.parse(raw) as { v: number; data: Seller }) : undefined;

export function createRedisSellerStore(redis: RedisClient): SellerStore {
  const records = createVersionedJsonStore<Seller>(redis);
  const get = async (teamId: string, userId: string) => (await records.get(sellerKey(teamId, userId)))?.value;
  const indexedTeams = new Set<string>();

  const syncArgs = (seller: Seller, version: number) => {
    const keys = [
      sellerKey(seller.teamId, seller.userId),
      namesKey(seller.teamId),
      payableKey(seller.teamId),
      termsKey(seller.teamId),
      sortedKey(seller.teamId),
    ];
    const payable = seller.state === 'payable';
    const members = payable ? searchTermsOf(seller).map((term) => `${term}\t${seller.userId}`) : [];
    return [
      SYNC_INDEX_SCRIPT,
      keys.length,
      ...keys,
      String(version),
      seller.userId,
      payable ? '1' : '0',
      ...members,
    ] as const;
  };

  /** Indexes the seller as stored now. */
  async function syncIndex(teamId: string, userId: string) {
    const stored = decode(await redis.get(sellerKey(teamId, userId)));
    if (stored) await redis.eval(...syncArgs(stored.data, stored.v));
  }

  /** Sellers stored before the indexes existed are indexed once per team, on first use; indexing twice changes nothing. */
  async function ensureIndexed(teamId: string) {
    if (indexedTeams.has(teamId)) return;
    if ((await redis.get(indexedKey(teamId))) === null) {
      const userIds = await redis.smembers(teamIndexKey(teamId));
      for (let i = 0; i < userIds.length; i += READ_CHUNK) {
        const raws = await redis.mget(userIds.slice(i, i + READ_CHUNK).map((id) => sellerKey(teamId, id)));
        const pipeline = redis.pipeline();
        for (const stored of raws.map(decode)) if (stored) pipeline.eval(...syncArgs(stored.data, stored.v));
        await pipeline.exec();
      }
      await redis.set(indexedKey(teamId), new Date().toISOString());
    }
    indexedTeams.add(teamId);
  }

  const readMany = async (teamId: string, userIds: string[]) => {
    if (userIds.length === 0) return [];
    const raws = await redis.mget(userIds.map((id) => sellerKey(teamId, id)));
    return raws.flatMap((raw) => {
      const stored = decode(raw);
      return stored ? [stored.data] : [];
    });
  };

  return {
    get,
    async getByAccount(accountId) {
      const owner = await redis.get(accountIndexKey(accountId));
      if (!owner) return undefined;
      const [teamId, userId] = owner.split(':') as [string, string];
      return get(teamId, userId);
    },
    async createIfAbsent(seller) {
      const keys = [
        sellerKey(seller.teamId, seller.userId),
        accountIndexKey(seller.accountId),
        teamIndexKey(seller.teamId),
        indexedKey(seller.teamId),
      ];
      const args = [encodeNewRecord(seller), `${seller.teamId}:${seller.userId}`, seller.userId];
      if ((await redis.eval(CREATE_SCRIPT, keys.length, ...keys, ...args)) === 1) {
        await syncIndex(seller.teamId, seller.userId);
        return { seller, created: true };
      }
      const existing = await get(seller.teamId, seller.userId);
      if (!existing) throw new Error('seller record vanished while being created');
      return { seller: existing, created: false };
    },
    async update(teamId, userId, change) {
      const result = await records.update(sellerKey(teamId, userId), change);
      if (result?.changed) await syncIndex(teamId, userId);
      return result;
    },
    async list(teamId) {
      const userIds = (await redis.smembers(teamIndexKey(teamId))).sort();
      return readMany(teamId, userIds);
    },
    async findPayable(teamId, prefix, limit) {
      await ensureIndexed(teamId);
      const term = normaliseSearchText(prefix);
      // Every member starting with the term lies between "[term" and "[term" followed by the highest byte.
      const range = term
        ? ([`[${term}`, Buffer.concat([Buffer.from(`[${term}`), Buffer.from([0xff])])] as const)
        : (['-', '+'] as const);
      const members = await redis.zrangebylex(
        namesKey(teamId),
        range[0],
        range[1],
        'LIMIT',
        0,
        limit * TERMS_READ_PER_RESULT,
      );
      const userIds = [...new Set(members.map((m) => m.slice(m.lastIndexOf('\t') + 1)))].slice(0, limit);
      return (await readMany(teamId, userIds)).filter((s) => s.state === 'payable');
    },
    async findMany(teamId, { userIds, accountIds }) {
      const owners: string[] = [];
      for (let i = 0; i < accountIds.length; i += READ_CHUNK) {
        const found = await redis.mget(accountIds.slice(i, i + READ_CHUNK).map(accountIndexKey));
        for (const owner of found) if (owner?.startsWith(`${teamId}:`)) owners.push(owner.slice(teamId.length + 1));
      }
      const wanted = [...new Set([...userIds, ...owners])];
      const sellers: Seller[] = [];
      for (let i = 0; i < wanted.length; i += READ_CHUNK)
        sellers.push(...(await readMany(teamId, wanted.slice(i, i + READ_CHUNK))));
      return sellers;
    },
    async page(teamId, offset, limit) {
      await ensureIndexed(teamId);
      const [userIds, total, payable] = await Promise.all([
        redis.zrange(sortedKey(teamId), offset, offset + limit - 1),
        redis.zcard(sortedKey(teamId)),
        redis.scard(payableKey(teamId)),
      ]);
      return { sellers: await readMany(teamId, userIds), total, payable };
    },
  };
}
