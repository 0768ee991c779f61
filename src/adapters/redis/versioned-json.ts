import type { Redis } from 'ioredis';

/**
 * JSON records with a version number, written with compare-and-set in one Lua script:
 * the decision is made in TypeScript, the commit is atomic, and a concurrent writer simply re-reads and decides again.
 */
const CAS_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
local decoded = cjson.decode(current)
if tonumber(decoded['v']) ~= tonumber(ARGV[1]) then return -1 end
redis.call('SET', KEYS[1], ARGV[2])
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

/** The stored form of a new record, for scripts that create it together with its indexes. */
export const encodeNewRecord = <T>(value: T): string => JSON.stringify({ v: 1, data: value } satisfies Envelope<T>);

export interface VersionedJsonStore<T> {
  get(key: string): Promise<Versioned<T> | undefined>;
  /** SET NX: false when the key already exists. */
  create(key: string, value: T): Promise<boolean>;
  /** Applies `change` atomically; `change` may return undefined to leave the record as it is. Retries on conflict. */
  update(key: string, change: (current: T) => T | undefined): Promise<{ before: T; after: T } | undefined>;
}

export function createVersionedJsonStore<T>(redis: Redis, maxAttempts = 50): VersionedJsonStore<T> {
  const get = async (key: string): Promise<Versioned<T> | undefined> => {
    const raw = await redis.get(key);
    if (raw === null) return undefined;
    const envelope = JSON.parse(raw) as Envelope<T>;
    return { value: envelope.data, version: envelope.v };
  };
  return {
    get,
    async create(key, value) {
      const reply = await redis.set(key, encodeNewRecord(value), 'NX');
      return reply === 'OK';
    },
    async update(key, change) {
      for (let attempt = 0; attempt < maxAttempts; attempt++) {
        const current = await get(key);
        if (!current) return undefined;
        const next = change(current.value);
        if (next === undefined) return { before: current.value, after: current.value };
        const payload = JSON.stringify({ v: current.version + 1, data: next } satisfies Envelope<T>);
        const result = (await redis.eval(CAS_SCRIPT, 1, key, String(current.version), payload)) as number;
        if (result === 1) return { before: current.value, after: next };
        if (result === 0) return undefined;
      }
      throw new Error(`too much contention updating ${key}`);
    },
  };
}
