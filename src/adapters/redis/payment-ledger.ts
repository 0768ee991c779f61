import type { PaymentLedger, ReconcileStore } from '../../domain/ports.js';
import type { ReconcileResult, RecordedPayment } from '../../domain/reconcile.types.js';
import type { RedisClient } from './connection.js';
import { storeKey } from './keys.js';
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
