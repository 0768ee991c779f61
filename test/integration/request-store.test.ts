import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServerHandle, startRedisServer } from '../../emulators/redis-server.js';
import { createRedisRequestStore } from '../../src/adapters/redis/request-store.js';
import { type PayoutRequest, type RunLineDraft, summarizeRun } from '../../src/domain/requests.types.js';
import { transferRequest } from '../support/request-fixtures.js';

const AT = '2026-12-01T12:00:00.000Z';

const pendingTransfer = (id: string): PayoutRequest => transferRequest(AT, { id });

const runLines = (count: number): RunLineDraft[] =>
  Array.from({ length: count }, (_, i) => ({
    key: `line${i + 1}`,
    userId: `U${i % 40_000}`,
    accountId: `acct_${i % 40_000}`,
    money: { amount: 100 + (i % 900), currency: 'eur' },
    description: `payout for line ${i + 1} of the batch`,
  }));

function pendingRun(id: string, lines: RunLineDraft[]): PayoutRequest {
  const { destination: _, ...base } = pendingTransfer(id) as Extract<PayoutRequest, { kind: 'transfer' }>;
  return {
    ...base,
    kind: 'run',
    run: summarizeRun({ source: 'csv', lines }),
    totals: [{ amount: lines.reduce((sum, l) => sum + l.money.amount, 0), currency: 'eur' }],
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

describe('run requests of many lines', () => {
  it('when a run request has 50,000 lines, then its record stays under 4 KB, an approval rewrites only that, and its lines read back in order a page at a time', async () => {
    const store = createRedisRequestStore(redis);
    const lines = runLines(50_000);
    await store.create(pendingRun('req_big_run', lines), 'U1', lines);
    const recordBytes = await redis.strlen('{payout}:request:req_big_run');
    expect(recordBytes).toBeLessThan(4_000);

    const started = performance.now();
    const approved = await store.transition(
      'req_big_run',
      (r) => ({ ...r, state: 'approved', approvals: [{ userId: 'U9', at: AT }] }),
      { actor: 'U9', action: 'request.approval' },
    );
    const approveMs = performance.now() - started;
    expect(approved?.after.state).toBe('approved');
    expect(approveMs).toBeLessThan(50);
    expect(await redis.strlen('{payout}:request:req_big_run')).toBeLessThan(4_000);

    const pages: RunLineDraft[][] = [];
    for await (const page of store.runLines('req_big_run')) pages.push(page);
    expect(Math.max(...pages.map((p) => p.length))).toBeLessThanOrEqual(1_000);
    expect(pages.flat()).toEqual(lines);
    expect(await store.runPays('req_big_run', 'U39999')).toBe(true);
    expect(await store.runPays('req_big_run', 'U_NOBODY')).toBe(false);
    expect(await store.get('req_big_run')).toMatchObject({
      run: { lineCount: 50_000, sellerCount: 40_000, head: lines.slice(0, 10) },
    });
  });

  it('when a run request was stored with its lines inline, then it reads with a summary, and its first transition moves the lines out of the record, none lost', async () => {
    const store = createRedisRequestStore(redis);
    const lines = runLines(2_500);
    const readBack = async () => {
      const pages: RunLineDraft[][] = [];
      for await (const page of store.runLines('req_old_run')) pages.push(page);
      return pages.flat();
    };
    await redis.set(
      '{payout}:request:req_old_run',
      JSON.stringify({ v: 1, data: { ...pendingRun('req_old_run', lines), run: { source: 'csv', lines } } }),
    );
    expect(await store.get('req_old_run')).toMatchObject({
      run: { source: 'csv', lineCount: 2_500, sellerCount: 2_500, head: lines.slice(0, 10) },
    });
    expect(await readBack()).toEqual(lines);
    expect(await store.runPays('req_old_run', 'U7')).toBe(true);

    await store.transition('req_old_run', (r) => ({ ...r, state: 'approved' }), {
      actor: 'U9',
      action: 'request.approval',
    });
    expect(await redis.strlen('{payout}:request:req_old_run')).toBeLessThan(4_000);
    expect(await store.get('req_old_run')).toMatchObject({
      state: 'approved',
      run: { lineCount: 2_500, head: lines.slice(0, 10) },
    });
    expect(await readBack()).toEqual(lines);
    expect(await store.runPays('req_old_run', 'U7')).toBe(true);
    expect(await store.runPays('req_old_run', 'U_NOBODY')).toBe(false);
  });

  it('when a run request is finished, then its lines are let go (its run has its own)', async () => {
    const store = createRedisRequestStore(redis);
    const lines = runLines(20);
    await store.create(pendingRun('req_done_run', lines), 'U1', lines);
    await store.transition('req_done_run', (r) => ({ ...r, state: 'completed' }), {
      actor: 'system',
      action: 'request.completed',
    });
    expect(await redis.exists('{payout}:request:req_done_run:lines', '{payout}:request:req_done_run:payees')).toBe(0);
  });
});

describe('the committed index after an upgrade', () => {
  it('when requests were approved or executing before the committed index existed, then committed() lists them once, and again after a second store starts', async () => {
    await redis.flushdb();
    const store = createRedisRequestStore(redis);
    for (const id of ['req_p', 'req_q', 'req_r']) await store.create(pendingTransfer(id), 'U1');
    await store.transition('req_p', (r) => ({ ...r, state: 'approved' }), {
      actor: 'test',
      action: 'request.approved',
    });
    await store.transition('req_q', (r) => ({ ...r, state: 'executing' }), {
      actor: 'test',
      action: 'request.executing',
    });
    // As before the upgrade: no committed index, no marker.
    await redis.del('{payout}:requests:committed', '{payout}:requests:committed:backfilled');

    const upgraded = createRedisRequestStore(redis);
    expect((await upgraded.committed()).map((r) => r.id).sort()).toEqual(['req_p', 'req_q']);
    expect(await redis.exists('{payout}:requests:committed:backfilled')).toBe(1);
    await upgraded.transition('req_p', (r) => ({ ...r, state: 'completed' }), {
      actor: 'test',
      action: 'request.completed',
    });
    expect((await createRedisRequestStore(redis).committed()).map((r) => r.id)).toEqual(['req_q']);
    expect(await redis.zrange('{payout}:requests:committed', 0, -1)).toEqual(['req_q']);
  });
});
