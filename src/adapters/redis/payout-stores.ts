import {
  type Firing,
  type PlanEntry,
  RUN_HEAD_LINES,
  type Run,
  type RunCounts,
  type RunLine,
  type Schedule,
} from '../../domain/payouts.types.js';
import type { FiringStore, PlanStore, RunStore, ScheduleStore } from '../../domain/ports.js';
import type { RedisClient } from './connection.js';
import { storeKey } from './keys.js';
import { noReplicaAck, type ReplicaAck } from './replica-ack.js';
import { createVersionedJsonStore, encodeNewRecord } from './versioned-json.js';

const planKey = (teamId: string) => storeKey(`plan:${teamId}`);
/** The plan's sellers by user id (score 0, lexical order), for paging. */
const planSortedKey = (teamId: string) => storeKey(`plan:${teamId}:sorted`);
/** `<currency>:amount` and `<currency>:count` over every line, kept with each change so a page need not read the plan. */
const planTotalsKey = (teamId: string) => storeKey(`plan:${teamId}:totals`);
/** Set once a plan written before the index existed has been indexed. */
const planIndexedKey = (teamId: string) => storeKey(`plan:${teamId}:indexed`);

/** Takes a line out of the totals and the index. KEYS: plan, sorted, totals. */
const UNCOUNT_LINE = `
local function uncount(userId)
  local old = redis.call('HGET', KEYS[1], userId)
  if not old then return false end
  local money = cjson.decode(old)['money']
  redis.call('HINCRBY', KEYS[3], money['currency'] .. ':amount', -money['amount'])
  redis.call('HINCRBY', KEYS[3], money['currency'] .. ':count', -1)
  redis.call('ZREM', KEYS[2], userId)
  return old
end
`;

/**
 * A line replaces the seller's previous one; the index and totals move with it. A plan's first line finds nothing to
 * index from before. KEYS: plan, sorted, totals, indexed. ARGV: userId, entry, currency, amount.
 */
const SET_PLAN_LINE = `${UNCOUNT_LINE}
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[4], 'new') end
uncount(ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], 0, ARGV[1])
redis.call('HINCRBY', KEYS[3], ARGV[3] .. ':amount', ARGV[4])
redis.call('HINCRBY', KEYS[3], ARGV[3] .. ':count', 1)
return 1
`;

const REMOVE_PLAN_LINE = `${UNCOUNT_LINE}
local old = uncount(ARGV[1])
if old then redis.call('HDEL', KEYS[1], ARGV[1]) end
return old
`;

/** Rebuilds the index and totals from the plan itself, atomically, once per plan written before they existed. KEYS: plan, sorted, totals, indexed. */
const INDEX_PLAN = `
if redis.call('EXISTS', KEYS[4]) == 1 then return 0 end
redis.call('DEL', KEYS[2], KEYS[3])
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local money = cjson.decode(all[i + 1])['money']
  redis.call('ZADD', KEYS[2], 0, all[i])
  redis.call('HINCRBY', KEYS[3], money['currency'] .. ':amount', money['amount'])
  redis.call('HINCRBY', KEYS[3], money['currency'] .. ':count', 1)
end
redis.call('SET', KEYS[4], '1')
return 1
`;

/** Plan lines a scheduled run reads at once: the run is staged a page at a time too. */
const PLAN_PAGE_SIZE = 500;

export function createRedisPlanStore(redis: RedisClient): PlanStore {
  const keys = (teamId: string) => [planKey(teamId), planSortedKey(teamId), planTotalsKey(teamId)];
  const indexedTeams = new Set<string>();
  async function ensureIndexed(teamId: string) {
    if (indexedTeams.has(teamId)) return;
    await redis.eval(INDEX_PLAN, 4, ...keys(teamId), planIndexedKey(teamId));
    indexedTeams.add(teamId);
  }
  return {
    async get(teamId, userId) {
      const raw = await redis.hget(planKey(teamId), userId);
      return raw ? (JSON.parse(raw) as PlanEntry) : undefined;
    },
    async set(entry) {
      await redis.eval(
        SET_PLAN_LINE,
        4,
        ...keys(entry.teamId),
        planIndexedKey(entry.teamId),
        entry.userId,
        JSON.stringify(entry),
        entry.money.currency,
        String(entry.money.amount),
      );
    },
    async remove(teamId, userId) {
      const raw = (await redis.eval(REMOVE_PLAN_LINE, 3, ...keys(teamId), userId)) as string | null;
      return raw ? (JSON.parse(raw) as PlanEntry) : undefined;
    },
    async list(teamId) {
      const all = await redis.hgetall(planKey(teamId));
      return Object.values(all)
        .map((raw) => JSON.parse(raw) as PlanEntry)
        .sort((a, b) => a.userId.localeCompare(b.userId));
    },
    async *pages(teamId, pageSize = PLAN_PAGE_SIZE) {
      await ensureIndexed(teamId);
      let after = '-';
      for (;;) {
        const userIds = await redis.zrangebylex(planSortedKey(teamId), after, '+', 'LIMIT', 0, pageSize);
        if (userIds.length === 0) return;
        const raws = await redis.hmget(planKey(teamId), ...userIds);
        // A line removed since its user id was read is skipped.
        yield raws.flatMap((raw) => (raw ? [JSON.parse(raw) as PlanEntry] : []));
        if (userIds.length < pageSize) return;
        after = `(${userIds.at(-1)}`;
      }
    },
    async page(teamId, offset, limit) {
      await ensureIndexed(teamId);
      const [userIds, total, totals] = await Promise.all([
        redis.zrange(planSortedKey(teamId), offset, offset + limit - 1),
        redis.zcard(planSortedKey(teamId)),
        redis.hgetall(planTotalsKey(teamId)),
      ]);
      const raws = userIds.length > 0 ? await redis.hmget(planKey(teamId), ...userIds) : [];
      const entries = raws.flatMap((raw) => (raw ? [JSON.parse(raw) as PlanEntry] : []));
      const currencies = Object.keys(totals).flatMap((field) =>
        field.endsWith(':count') ? [field.slice(0, -':count'.length)] : [],
      );
      return {
        entries,
        total,
        totals: currencies
          .map((currency) => ({
            currency,
            amount: Number(totals[`${currency}:amount`] ?? 0),
            count: Number(totals[`${currency}:count`] ?? 0),
          }))
          .filter((t) => t.count > 0)
          .sort((a, b) => a.currency.localeCompare(b.currency)),
      };
    },
  };
}

export function createRedisScheduleStore(redis: RedisClient): ScheduleStore {
  const indexKey = storeKey('schedules');
  const records = createVersionedJsonStore<Schedule>(redis, { indexKey });
  const key = (id: string) => storeKey(`schedule:${id}`);
  const get = async (id: string) => (await records.get(key(id)))?.value;
  return {
    create: (schedule) =>
      records.create(key(schedule.id), schedule, {
        index: { member: schedule.id, score: Date.parse(schedule.activeSince) },
      }),
    get,
    update: (id, change) => records.update(key(id), change),
    async list(teamId) {
      const schedules = await Promise.all((await redis.zrange(indexKey, 0, -1)).map(get));
      return schedules.filter(
        (s): s is Schedule =>
          s !== undefined && (teamId === undefined || s.teamId === teamId) && s.status !== 'deleted',
      );
    },
  };
}

/** Sets one field of a firing, keeping its expiry; ARGV[3], when given, is the status the firing must have. */
const SET_FIRING_FIELD = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local firing = cjson.decode(raw)
if ARGV[3] ~= '' and firing['status'] ~= ARGV[3] then return 0 end
if firing[ARGV[1]] == ARGV[2] then return 0 end
firing[ARGV[1]] = ARGV[2]
if ARGV[3] ~= '' then firing['status'] = 'done' end
redis.call('SET', KEYS[1], cjson.encode(firing), 'KEEPTTL')
return 1
`;

/** Firings are kept for a year: far longer than any schedule could fire twice for one period. */
const FIRING_TTL_SECONDS = 366 * 86_400;

export function createRedisFiringStore(redis: RedisClient): FiringStore {
  const key = (periodKey: string) => storeKey(`firing:${periodKey}`);
  const get = async (periodKey: string) => {
    const raw = await redis.get(key(periodKey));
    return raw ? (JSON.parse(raw) as Firing) : undefined;
  };
  return {
    async begin(firing) {
      const first =
        (await redis.set(key(firing.periodKey), JSON.stringify(firing), 'EX', FIRING_TTL_SECONDS, 'NX')) === 'OK';
      return { first, firing: first ? firing : ((await get(firing.periodKey)) ?? firing) };
    },
    async finish(periodKey, result) {
      return (await redis.eval(SET_FIRING_FIELD, 1, key(periodKey), 'result', result, 'started')) === 1;
    },
    get,
    async settle(periodKey, settlement) {
      return (await redis.eval(SET_FIRING_FIELD, 1, key(periodKey), 'settlement', settlement, '')) === 1;
    },
  };
}

const runKey = (id: string) => storeKey(`run:${id}`);
/** Runs not done yet, by creation time. */
const OPEN_RUNS = storeKey('runs:open');
const linesKey = (id: string) => storeKey(`run:${id}:lines`);
const countsKey = (id: string) => storeKey(`run:${id}:counts`);
/** The keys of the run's first lines, in order (the lines' hash has none). */
const headKey = (id: string) => storeKey(`run:${id}:head`);
/** A new run's lines before the run exists; a launch that never got to `create` leaves them to expire. */
const stagedKey = (id: string) => storeKey(`run:${id}:staged`);
const STAGED_TTL_SECONDS = 86_400;
/** Lines read per HSCAN page: a run of 50,000 lines is never held in memory at once. */
const LINE_PAGE = 500;

/** The run, its lines, its first lines' order and its counters appear together or not at all. */
const CREATE_RUN = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
if redis.call('EXISTS', KEYS[6]) == 1 then
  redis.call('RENAME', KEYS[6], KEYS[2])
  redis.call('PERSIST', KEYS[2])
end
for i = 2, #ARGV do redis.call('RPUSH', KEYS[5], ARGV[i]) end
redis.call('HSET', KEYS[3], 'pending', redis.call('HLEN', KEYS[2]), 'paid', 0, 'failed', 0)
redis.call('ZADD', KEYS[4], redis.call('TIME')[1], cjson.decode(ARGV[1])['data']['id'])
return 1
`;

/** A line settles once: a job run twice (a stalled worker, a retry) cannot count it twice. */
const SETTLE_LINE = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return -1 end
if cjson.decode(raw)['status'] ~= 'pending' then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[2], 'pending', -1)
redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
if ARGV[3] == 'paid' then redis.call('HINCRBY', KEYS[2], 'paid:' .. ARGV[4], ARGV[5]) end
return 1
`;

/** A paid line's reversed amount as Stripe shows it now; the reversed totals move by the difference. */
const RECORD_REVERSAL = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return false end
local line = cjson.decode(raw)
if line['status'] ~= 'paid' then return false end
local delta = tonumber(ARGV[2]) - (tonumber(line['amountReversed']) or 0)
if delta <= 0 then return false end
line['amountReversed'] = tonumber(ARGV[2])
local encoded = cjson.encode(line)
redis.call('HSET', KEYS[1], ARGV[1], encoded)
redis.call('HINCRBY', KEYS[2], 'reversed:' .. line['money']['currency'], delta)
return { encoded, tostring(delta) }
`;

export function createRedisRunStore(redis: RedisClient, replicaAck: ReplicaAck = noReplicaAck): RunStore {
  const records = createVersionedJsonStore<Run>(redis, { afterWrite: replicaAck, indexKey: OPEN_RUNS });
  const get = async (id: string) => (await records.get(runKey(id)))?.value;
  return {
    async stageLines(runId, lines) {
      if (lines.length === 0) return;
      const results = await redis
        .multi()
        .hset(stagedKey(runId), ...lines.flatMap((line) => [line.key, JSON.stringify(line)]))
        .expire(stagedKey(runId), STAGED_TTL_SECONDS)
        .exec();
      const failed = results?.find(([error]) => error)?.[0];
      if (failed) throw failed;
    },
    async create(run, headKeys) {
      const keys = [runKey(run.id), linesKey(run.id), countsKey(run.id), OPEN_RUNS, headKey(run.id), stagedKey(run.id)];
      const created =
        (await redis.eval(
          CREATE_RUN,
          keys.length,
          ...keys,
          encodeNewRecord(run),
          ...headKeys.slice(0, RUN_HEAD_LINES),
        )) === 1;
      if (created) await replicaAck();
      return { run: created ? run : ((await get(run.id)) ?? run), created };
    },
    get,
    update: (id, change) =>
      records.update(runKey(id), change, (_before, after) =>
        after.status === 'done' ? { index: { member: id, remove: true } } : {},
      ),
    async line(runId, key) {
      const raw = await redis.hget(linesKey(runId), key);
      return raw ? (JSON.parse(raw) as RunLine) : undefined;
    },
    async *linePages(runId) {
      // HSCAN may return a line twice (a rehash between pages); every reader here is idempotent per line.
      let cursor = '0';
      do {
        const [next, flat] = await redis.hscan(linesKey(runId), cursor, 'COUNT', LINE_PAGE);
        cursor = next;
        const page: RunLine[] = [];
        for (let i = 1; i < flat.length; i += 2) page.push(JSON.parse(flat[i]!) as RunLine);
        if (page.length > 0) yield page;
      } while (cursor !== '0');
    },
    async firstLines(runId, count) {
      const keys = await redis.lrange(headKey(runId), 0, Math.min(count, RUN_HEAD_LINES) - 1);
      if (keys.length === 0) return [];
      return (await redis.hmget(linesKey(runId), ...keys)).flatMap((raw) => (raw ? [JSON.parse(raw) as RunLine] : []));
    },
    async settleLine(runId, line) {
      const settled =
        (await redis.eval(
          SETTLE_LINE,
          2,
          linesKey(runId),
          countsKey(runId),
          line.key,
          JSON.stringify(line),
          line.status,
          line.money.currency,
          String(line.money.amount),
        )) === 1;
      if (settled) await replicaAck();
      return settled;
    },
    async recordReversal(runId, key, amountReversed) {
      const result = (await redis.eval(
        RECORD_REVERSAL,
        2,
        linesKey(runId),
        countsKey(runId),
        key,
        String(amountReversed),
      )) as [string, string] | null;
      return result ? { line: JSON.parse(result[0]) as RunLine, delta: Number(result[1]) } : undefined;
    },
    async open() {
      const runs = await records.getMany((await redis.zrange(OPEN_RUNS, 0, -1)).map(runKey));
      return runs.map((r) => r.value).filter((run) => run.status !== 'done');
    },
    async counts(runId): Promise<RunCounts> {
      const raw = await redis.hgetall(countsKey(runId));
      const totals = (prefix: string) =>
        Object.entries(raw)
          .filter(([field]) => field.startsWith(prefix))
          .map(([field, amount]) => ({ currency: field.slice(prefix.length), amount: Number(amount) }));
      return {
        pending: Number(raw.pending ?? 0),
        paid: Number(raw.paid ?? 0),
        failed: Number(raw.failed ?? 0),
        paidTotals: totals('paid:'),
        reversedTotals: totals('reversed:'),
      };
    },
  };
}
