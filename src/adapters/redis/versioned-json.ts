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
if ARGV[4] == 'add' then redis.call('ZADD', KEYS[3], ARGV[5], ARGV[6]) end
if ARGV[4] == 'remove' then redis.call('ZREM', KEYS[3], ARGV[6]) end
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

/** What goes with a write, atomically: an audit entry, and membership of an index (e.g. "requests still open"). */
export interface WriteEffects {
  audit?: object;
  index?: { member: string; score: number } | { member: string; remove: true };
}

export interface VersionedJsonOptions {
  auditStream?: string;
  indexKey?: string;
  /** Called after each committed write, e.g. to wait for a replica. */
  afterWrite?: () => Promise<void>;
}

/** The stored form of a new record, for scripts that create it together with other keys. */
export const encodeNewRecord = <T>(value: T): string => JSON.stringify({ v: 1, data: value } satisfies Envelope<T>);

export interface VersionedJsonStore<T> {
  get(key: string): Promise<Versioned<T> | undefined>;
  /** Only when the key is absent: false when it exists. */
  create(key: string, value: T, effects?: WriteEffects): Promise<boolean>;
  /**
   * Applies `change` atomically; `change` returns undefined to leave the record as it is.
   * Re-reads and decides again when someone else wrote in between.
   */
  update(key: string, change: (current: T) => T | undefined, effects?: (before: T, after: T) => WriteEffects): Promise<{ before: T; after: T; changed: boolean } | undefined>;
}

export function createVersionedJsonStore<T>(redis: RedisClient, options: VersionedJsonOptions = {}, maxAttempts = 100): VersionedJsonStore<T> {
  const get = async (key: string): Promise<Versioned<T> | undefined> => {
    const raw = await redis.get(key);
    if (raw === null) return undefined;
    const envelope = JSON.parse(raw) as Envelope<T>;
    return { value: envelope.data, version: envelope.v };
  };
  const write = async (key: string, expectedVersion: number, payload: string, effects: WriteEffects = {}) => {
    const index = effects.index;
    const args = [
      String(expectedVersion),
      payload,
      effects.audit ? JSON.stringify(effects.audit) : '',
      index ? ('remove' in index ? 'remove' : 'add') : '',
      index && 'score' in index ? String(index.score) : '0',
      index?.member ?? '',
    ];
    const keys = [key, options.auditStream ?? key, options.indexKey ?? key];
    const result = (await redis.eval(WRITE_SCRIPT, keys.length, ...keys, ...args)) as number;
    if (result === 1) await options.afterWrite?.();
    return result;
  };
  return {
    get,
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
