import type { ChainableCommander } from 'ioredis';
import type {
  MatchedPayment,
  PaymentLedger,
  ReconcileScratch,
  ReconcileScratchSpace,
  ReconcileStore,
} from '../../domain/ports.js';
import type { ReconcileResult, RecordedPayment } from '../../domain/reconcile.types.js';
import type { RedisClient } from './connection.js';
import { reconcileScratchKey, storeKey } from './keys.js';
import { noReplicaAck, type ReplicaAck } from './replica-ack.js';

const BY_TIME = storeKey('payments');
const paymentKey = (payoutRef: string) => storeKey(`payment:${payoutRef}`);

/** The record and its place in the time index appear together, once per reference. */
const RECORD_PAID = `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
`;

/** Stripe's state of the recorded object (never of another one the reference might name). */
const RECORD_STATE = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local payment = cjson.decode(raw)
if payment['stripeId'] ~= ARGV[1] then return 0 end
if ARGV[2] ~= '' then payment['amountReversed'] = tonumber(ARGV[2]) end
if ARGV[3] ~= '' then payment['topupStatus'] = ARGV[3] end
redis.call('SET', KEYS[1], cjson.encode(payment))
return 1
`;

export function createRedisPaymentLedger(redis: RedisClient, replicaAck: ReplicaAck = noReplicaAck): PaymentLedger {
  const get = async (payoutRef: string) => {
    const raw = await redis.get(paymentKey(payoutRef));
    return raw ? (JSON.parse(raw) as RecordedPayment) : undefined;
  };
  return {
    async recordPaid(payment) {
      const recorded =
        (await redis.eval(
          RECORD_PAID,
          2,
          paymentKey(payment.payoutRef),
          BY_TIME,
          JSON.stringify(payment),
          String(Date.parse(payment.paidAt)),
          payment.payoutRef,
        )) === 1;
      if (recorded) await replicaAck();
      return recorded;
    },
    get,
    async getMany(payoutRefs) {
      if (payoutRefs.length === 0) return [];
      const raws = await redis.mget(payoutRefs.map(paymentKey));
      return raws.map((raw) => (raw ? (JSON.parse(raw) as RecordedPayment) : undefined));
    },
    async *between(window, pageSize = 1_000) {
      const max = `(${window.to.getTime()}`;
      let offset = 0;
      for (;;) {
        const refs = await redis.zrangebyscore(BY_TIME, window.from.getTime(), max, 'LIMIT', offset, pageSize);
        if (refs.length === 0) return;
        const raws = await redis.mget(refs.map(paymentKey));
        for (const raw of raws) if (raw) yield JSON.parse(raw) as RecordedPayment;
        if (refs.length < pageSize) return;
        offset += refs.length;
      }
    },
    async recordState(payoutRef, state) {
      const reversed = state.object === 'transfer' ? String(state.amountReversed) : '';
      const status = state.object === 'topup' ? state.status : '';
      await redis.eval(RECORD_STATE, 1, paymentKey(payoutRef), state.stripeId, reversed, status);
    },
  };
}

const LATEST = storeKey('reconcile:latest');

export function createRedisReconcileStore(redis: RedisClient): ReconcileStore {
  return {
    async saveLatest(result) {
      await redis.set(LATEST, JSON.stringify(result));
    },
    async latest() {
      const raw = await redis.get(LATEST);
      return raw ? (JSON.parse(raw) as ReconcileResult) : undefined;
    },
  };
}

/** Counted again from each write: a crashed reconciliation's scratch goes by itself, a slow one's stays. */
const SCRATCH_TTL_SECONDS = 3_600;

type Stored = Omit<MatchedPayment, 'payoutRef'>;

export function createRedisReconcileScratchSpace(redis: RedisClient): ReconcileScratchSpace {
  return { open: (reconcileId) => openScratch(redis, reconcileId) };
}

/** The matched payments in the order matched (a list), each one's nets (a hash), and the owner of each Stripe object id (a hash). */
function openScratch(redis: RedisClient, reconcileId: string): ReconcileScratch {
  const ORDER = reconcileScratchKey(reconcileId, 'order');
  const MATCHED = reconcileScratchKey(reconcileId, 'matched');
  const OWNERS = reconcileScratchKey(reconcileId, 'owners');
  const execWithTtl = (multi: ChainableCommander) =>
    multi
      .expire(ORDER, SCRATCH_TTL_SECONDS)
      .expire(MATCHED, SCRATCH_TTL_SECONDS)
      .expire(OWNERS, SCRATCH_TTL_SECONDS)
      .exec();
  const read = async (payoutRefs: string[]) =>
    payoutRefs.length === 0
      ? []
      : (await redis.hmget(MATCHED, ...payoutRefs)).map((raw) => (raw ? (JSON.parse(raw) as Stored) : undefined));
  return {
    async match(payments) {
      if (payments.length === 0) return;
      await execWithTtl(
        redis
          .multi()
          .rpush(ORDER, ...payments.map((p) => p.payoutRef))
          .hset(
            MATCHED,
            new Map(
              payments.map(({ payoutRef, currency, expectedNet }) => [
                payoutRef,
                JSON.stringify({ currency, expectedNet, actualNets: {} } satisfies Stored),
              ]),
            ),
          )
          .hset(OWNERS, new Map(payments.flatMap((p) => p.objectIds.map((id) => [id, p.payoutRef])))),
      );
    },
    async matchedOf(payoutRefs) {
      const stored = await read(payoutRefs);
      return new Set(payoutRefs.filter((_, i) => stored[i]));
    },
    async ownersOf(objectIds) {
      if (objectIds.length === 0) return new Map();
      const owners = await redis.hmget(OWNERS, ...objectIds);
      return new Map(objectIds.flatMap((id, i) => (owners[i] ? [[id, owners[i]] as const] : [])));
    },
    async addNets(nets) {
      const payoutRefs = [...nets.keys()];
      const stored = await read(payoutRefs);
      const updated = payoutRefs.flatMap((payoutRef, i) => {
        const payment = stored[i];
        if (!payment) return [];
        for (const [currency, net] of nets.get(payoutRef)!)
          payment.actualNets[currency] = (payment.actualNets[currency] ?? 0) + net;
        return [[payoutRef, JSON.stringify(payment)] as const];
      });
      if (updated.length > 0) await execWithTtl(redis.multi().hset(MATCHED, new Map(updated)));
    },
    async *matched(pageSize) {
      for (let start = 0; ; start += pageSize) {
        const payoutRefs = await redis.lrange(ORDER, start, start + pageSize - 1);
        const stored = await read(payoutRefs);
        for (const [i, payoutRef] of payoutRefs.entries()) if (stored[i]) yield { payoutRef, ...stored[i] };
        if (payoutRefs.length < pageSize) return;
      }
    },
    async drop() {
      await redis.del(ORDER, MATCHED, OWNERS);
    },
  };
}
