import type { RedisClient } from './connection.js';
import { storeKey } from './keys.js';
import type { ShortfallNotice } from '../../domain/funding.types.js';
import type { ShortfallNoticeStore } from '../../domain/ports.js';
import { createVersionedJsonStore } from './versioned-json.js';

const OPEN_NOTICES = storeKey('funding:notices:open');
const noticeKey = (key: string) => storeKey(`funding:notice:${key}`);

export function createRedisShortfallNoticeStore(redis: RedisClient): ShortfallNoticeStore {
  const records = createVersionedJsonStore<ShortfallNotice>(redis, { indexKey: OPEN_NOTICES });
  const get = async (key: string) => (await records.get(noticeKey(key)))?.value;
  return {
    claim: (notice) => records.create(noticeKey(notice.key), notice, { index: { member: notice.key, score: Date.parse(notice.day) } }),
    get,
    update: (key, change) => records.update(noticeKey(key), change, (_before, after) => (after.status === 'open' ? {} : { index: { member: key, remove: true } })),
    async release(key) {
      await redis.multi().del(noticeKey(key)).zrem(OPEN_NOTICES, key).exec();
    },
    async open() {
      const notices = await Promise.all((await redis.zrange(OPEN_NOTICES, 0, -1)).map(get));
      return notices.filter((n): n is ShortfallNotice => n !== undefined && n.status === 'open');
    },
  };
}
