import type { RedisClient } from '../../src/adapters/redis/connection.js';
import { createRedisPlanStore } from '../../src/adapters/redis/payout-stores.js';
import { createRedisSellerStore } from '../../src/adapters/redis/seller-store.js';
import type { PlanEntry } from '../../src/domain/payouts.types.js';
import type { PayoutRequest } from '../../src/domain/requests.types.js';
import type { Seller } from '../../src/domain/sellers.types.js';
import { transferRequest } from './request-fixtures.js';

const AT = '2026-03-02T09:00:00.000Z';

/** A stored seller as onboarding leaves it, payable unless said otherwise. */
export const sellerRecord = (
  teamId: string,
  userId: string,
  displayName: string | null,
  state: Seller['state'] = 'payable',
): Seller => ({
  teamId,
  userId,
  accountId: `acct_${userId.toLowerCase()}`,
  displayName,
  country: 'US',
  email: null,
  state,
  detailsSubmitted: true,
  transfersCapability: state === 'payable' ? 'active' : 'inactive',
  payoutsEnabled: true,
  currentlyDue: [],
  disabledReason: null,
  everPayable: state === 'payable',
  invitedBy: 'UOPS',
  invitedAt: AT,
  updatedAt: AT,
});

export const planEntry = (
  seller: Pick<Seller, 'teamId' | 'userId' | 'accountId'>,
  amount: number,
  currency = 'eur',
): PlanEntry => ({
  teamId: seller.teamId,
  userId: seller.userId,
  accountId: seller.accountId,
  money: { amount, currency },
  description: `plan ${seller.userId}`,
  approvedBy: ['UAPPROVER'],
  requestId: `req_plan_${seller.userId}`,
  updatedAt: AT,
});

/** `count` sellers `U<prefix><n>` named "<name> <n>", stored through the seller store, `concurrency` at a time. */
export async function seedSellers(
  redis: RedisClient,
  teamId: string,
  count: number,
  options: { prefix?: string; name?: string; concurrency?: number } = {},
): Promise<Seller[]> {
  const store = createRedisSellerStore(redis);
  const sellers = Array.from({ length: count }, (_, i) =>
    sellerRecord(teamId, `U${options.prefix ?? 'S'}${String(i).padStart(6, '0')}`, `${options.name ?? 'Seller'} ${i}`),
  );
  const concurrency = options.concurrency ?? 200;
  for (let i = 0; i < sellers.length; i += concurrency)
    await Promise.all(sellers.slice(i, i + concurrency).map((s) => store.createIfAbsent(s)));
  return sellers;
}

/** A plan line for each seller, stored through the plan store. */
export async function seedPlan(redis: RedisClient, sellers: Seller[], concurrency = 200): Promise<void> {
  const store = createRedisPlanStore(redis);
  for (let i = 0; i < sellers.length; i += concurrency)
    await Promise.all(sellers.slice(i, i + concurrency).map((s, k) => store.set(planEntry(s, 100 + i + k))));
}

/** A transfer request as stored, pending until `expiresAt`. */
export const openTransfer = (id: string, at: Date, ttlMs = 86_400_000): PayoutRequest =>
  transferRequest(at.toISOString(), {
    id,
    teamId: 'T0TEAM',
    requestedBy: 'UREQUESTER',
    money: { amount: 500, currency: 'eur' },
    totals: [{ amount: 500, currency: 'eur' }],
    destination: { userId: 'USELLER', accountId: 'acct_seller' },
    expiresAt: new Date(at.getTime() + ttlMs).toISOString(),
  });

/** The client, counting the record keys each read names (GET, MGET, HMGET; SMEMBERS counts as everything), to show what a read touches. */
export function countingReads(redis: RedisClient): { redis: RedisClient; keysRead: () => number; reset: () => void } {
  let keys = 0;
  const counted: Record<string, (args: unknown[]) => number> = {
    get: () => 1,
    mget: (args) => (Array.isArray(args[0]) ? args[0].length : args.length),
    hmget: (args) => args.length - 1,
    smembers: () => Number.POSITIVE_INFINITY,
  };
  const proxy = new Proxy(redis, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const count = typeof prop === 'string' ? counted[prop] : undefined;
      return (...args: unknown[]) => {
        if (count) keys += count(args);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { redis: proxy, keysRead: () => keys, reset: () => (keys = 0) };
}
