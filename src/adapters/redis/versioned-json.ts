import type { RedisClient } from './connection.js';

/**
 * JSON records with a version number, written with compare-and-set in one Lua script:
 * the decision is made in TypeScript, the commit is atomic, and a concurrent writer simply re-reads and decides again.
 * The same script appends the audit entry and keeps a sorted-set index, so a change and its record never part.
 */
const WRITE_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '0' then
  if current then return 0 end
else
  if not current then return 0 end
  if tonumber(cjson.decode(current)['v']) ~= tonumber(ARGV[1]) then return -1 end
end
redis.call('SET', KEYS[1], ARGV[2])
if ARGV[3] ~= '' then redis.call('XADD', KEYS[2], '*', 'entry', ARGV[3]) end
local indexes = tonumber(ARGV[4])
for i = 0, indexes - 1 do
  local a = 5 + i * 3
  if ARGV[a] == 'add' then redis.call('ZADD', KEYS[3 + i], ARGV[a + 1], ARGV[a + 2]) end
  if ARGV[a] == 'remove' then redis.call('ZREM', KEYS[3 + i], ARGV[a + 2]) end
end
local k, a = 3 + indexes, 5 + indexes * 3
while a <= #ARGV do
  local command, last = ARGV[a], a + 1 + tonumber(ARGV[a + 1])
  a = a + 2
  while a <= last do
    local upto = math.min(a + 999, last)
    redis.call(command, KEYS[k], unpack(ARGV, a, upto))
    a = upto + 1
  end
  k = k + 1
end
return 1
`;

interface Envelope<T> {
  v: number;
  data: T;
}

export interface Versioned<T> {
  value: T;
  version: number;
}

/** Membership of a sorted-set index; `key` defaults to the store's `indexKey`. */
export type IndexChange = ({ member: string; score: number } | { member: string; remove: true }) & { key?: string };

/** Members added to a list (in order) or a set: parts of a record kept apart from it, e.g. a run request's lines. */
export interface MembersAdded {
  key: string;
  command: 'RPUSH' | 'SADD';
  members: string[];
}

/** What goes with a write, atomically: an audit entry, membership of indexes (e.g. "requests still open"), members added elsewhere. */
export interface WriteEffects {
  audit?: object;
  index?: IndexChange | IndexChange[];
  members?: MembersAdded[];
}

export interface VersionedJsonOptions {
  auditStream?: string;
  indexKey?: string;
  /** Called after each committed write, e.g. to wait for a replica. */
  afterWrite?: () => Promise<void>;
}

/** Keys per MGET: one round trip per page instead of one per record, without one huge reply. */
const MGET_PAGE = 500;

/** The stored form of a new record, for scripts that create it together with other keys. */
export const encodeNewRecord = <T>(value: T): string => JSON.stringify({ v: 1, data: value } satisfies Envelope<T>);

export interface VersionedJsonStore<T> {
  get(key: string): Promise<Versioned<T> | undefined>;
  /** Several records in one round trip per page of keys (MGET); absent keys are left out. */
  getMany(keys: string[]): Promise<Versioned<T>[]>;
  /** Only when the key is absent: false when it exists. */
  create(key: string, value: T, effects?: WriteEffects): Promise<boolean>;
  /**
   * Applies `change` atomically; `change` returns undefined to leave the record as it is.
   * Re-reads and decides again when someone else wrote in between.
   */
  update(
    key: string,
    change: (current: T) => T | undefined,
    effects?: (before: T, after: T) => WriteEffects,
  ): Promise<{ before: T; after: T; changed: boolean } | undefined>;
}

export function createVersionedJsonStore<T>(
  redis: RedisClient,
  options: VersionedJsonOptions = {},
  maxAttempts = 100,
): VersionedJsonStore<T> {
  const decode = (raw: string): Versioned<T> => {
    const envelope = JSON.parse(raw) as Envelope<T>;
    return { value: envelope.data, version: envelope.v };
  };
  const get = async (key: string): Promise<Versioned<T> | undefined> => {
    const raw = await redis.get(key);
    return raw === null ? undefined : decode(raw);
  };
  const getMany = async (keys: string[]): Promise<Versioned<T>[]> => {
    const pages = [];
    for (let i = 0; i < keys.length; i += MGET_PAGE) pages.push(keys.slice(i, i + MGET_PAGE));
    const raws = (await Promise.all(pages.map((page) => redis.mget(...page)))).flat();
    return raws.filter((raw): raw is string => raw !== null).map(decode);
  };
  const write = async (key: string, expectedVersion: number, payload: string, effects: WriteEffects = {}) => {
    const indexes = effects.index === undefined ? [] : [effects.index].flat();
    const added = (effects.members ?? []).filter((m) => m.members.length > 0);
    const args = [
      String(expectedVersion),
      payload,
      effects.audit ? JSON.stringify(effects.audit) : '',
      String(indexes.length),
      ...indexes.flatMap((index) => [
        'remove' in index ? 'remove' : 'add',
        'score' in index ? String(index.score) : '0',
        index.member,
      ]),
      ...added.flatMap((m) => [m.command, String(m.members.length), ...m.members]),
    ];
    const keys = [
      key,
      options.auditStream ?? key,
      ...indexes.map((index) => index.key ?? options.indexKey ?? key),
      ...added.map((m) => m.key),
    ];
    const result = (await redis.eval(WRITE_SCRIPT, keys.length, ...keys, ...args)) as number;
    if (result === 1) await options.afterWrite?.();
    return result;
  };
  return {
    get,
    getMany,
    async create(key, value, effects) {
      return (await write(key, 0, encodeNewRecord(value), effects)) === 1;
    },
    async update(key, change, effects) {
      for (let attempt = 0; attempt < maxAttempts; attempt++) {
        const current = await get(key);
        if (!current) return undefined;
        const next = change(current.value);
        if (next === undefined) return { before: current.value, after: current.value, changed: false };
        const payload = JSON.stringify({ v: current.version + 1, data: next } satisfies Envelope<T>);
        const result = await write(key, current.version, payload, effects?.(current.value, next));
        if (result === 1) return { before: current.value, after: next, changed: true };
        if (result === 0) return undefined;
      }
      throw new Error(`too much contention updating ${key}`);
    },
  };
}
