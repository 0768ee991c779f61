import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServerHandle, startRedisServer } from '../../emulators/redis-server.js';
import { createRedisRequestStore } from '../../src/adapters/redis/request-store.js';
import type { PayoutRequest } from '../../src/domain/requests.types.js';

const AT = '2026-12-01T12:00:00.000Z';

function pendingTransfer(id: string): PayoutRequest {
  return {
    id,
    kind: 'transfer',
    teamId: 'T1',
    requestedBy: 'U1',
    requestedAt: AT,
    money: { amount: 1000, currency: 'eur' },
    totals: [{ amount: 1000, currency: 'eur' }],
    description: null,
    destination: { userId: 'U2', accountId: 'acct_2' },
    availableAtRequest: null,
    resultRef: null,
    state: 'pending',
    requiredApprovals: 1,
    approvals: [],
    rejection: null,
    expiresAt: AT,
    executingSince: null,
    attempts: 0,
    stripeId: null,
    failure: null,
    settlement: null,
    amountReversed: 0,
    message: null,
    updatedAt: AT,
  };
}

let server: RedisServerHandle;
let redis: Redis;
beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});

describe('request store indexes', () => {
  it('when requests are pending, approved, executing and completed, then committed() lists only the approved and executing ones and open() all but the completed', async () => {
    const store = createRedisRequestStore(redis);
    for (const id of ['req_a', 'req_b', 'req_c', 'req_d']) await store.create(pendingTransfer(id), 'U1');
    const move = (id: string, state: PayoutRequest['state']) =>
      store.transition(id, (r) => ({ ...r, state }), { actor: 'test', action: `request.${state}` });
    await move('req_b', 'approved');
    await move('req_c', 'approved');
    await move('req_c', 'executing');
    await move('req_d', 'approved');
    await move('req_d', 'completed');

    expect((await store.committed()).map((r) => r.id).sort()).toEqual(['req_b', 'req_c']);
    expect((await store.open()).map((r) => r.id).sort()).toEqual(['req_a', 'req_b', 'req_c']);
  });
});
