import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  runCounts,
  runLines,
  startWorkerChild,
  transfersOf,
  until,
  type WorkerChild,
} from '../../bench/worker-child.js';
import { type Harness, PEOPLE, startHarness } from '../../emulators/local-stack.js';
import type { RedisTopology } from '../../emulators/redis-topology.js';
import { QUEUE_PREFIX, STORE_TAG } from '../../src/adapters/redis/keys.js';
import { requestRef } from '../../src/domain/payments.js';
import { onboardPayableSeller } from '../support/onboarding.js';
import { clickApprove, requestViaSlack, waitForState } from '../support/requests.js';
import { launchRun } from '../support/runs.js';

const LINES = 300;
/** Fast enough to keep the files short, slow enough that the failover lands in the middle of the run. */
const PER_SECOND = '40';

/**
 * The same story on a real Redis topology: the web role in the test process, two worker processes (`ROLE=worker`,
 * the real entry point), and the master that holds the queues failing over mid-run.
 */
export function describeFailover(name: string, startTopology: () => Promise<RedisTopology>, manual: string): void {
  let topology: RedisTopology;
  let h: Harness;
  let sellerAccount: string;
  const workers: WorkerChild[] = [];

  beforeAll(async () => {
    topology = await startTopology();
    h = await startHarness({
      env: { ROLE: 'web', LOG_LEVEL: 'warn', STRIPE_TRANSFERS_PER_SECOND: PER_SECOND },
      redis: { env: topology.env },
      stripe: { balances: { eur: 100_000_00 } },
    });
    sellerAccount = await onboardPayableSeller(h);
    const env = { STRIPE_TRANSFERS_PER_SECOND: PER_SECOND, WORKER_LOCK_SECONDS: '5' };
    workers.push(startWorkerChild(h, env), startWorkerChild(h, env));
    await until(
      async () => (await h.bot.deps.queues.runLines.getWorkersCount()) >= 2,
      30_000,
      'two worker processes on the run-line queue',
      100,
    );
  }, 90_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await h?.stop();
    await topology?.stop();
  }, 60_000);

  /** How many WAITs the master of our records has served. */
  async function waitCalls(): Promise<number> {
    const admin = new Redis({ host: '127.0.0.1', port: await topology.masterPort(STORE_TAG), lazyConnect: true });
    try {
      return Number(/^cmdstat_wait:calls=(\d+)/m.exec(await admin.info('commandstats'))?.[1] ?? 0);
    } finally {
      admin.disconnect();
    }
  }

  /** Launches a run, fails the queues' master over once a sixth of it is paid, and checks the outcome to the cent. */
  async function runThroughFailover(runId: string, mode: 'manual' | 'kill') {
    const lines = runLines(sellerAccount, LINES);
    await launchRun(h, runId, lines);
    await until(
      () => transfersOf(h, runId, lines).created >= LINES / 6,
      60_000,
      `${runId}: a sixth of the lines paid`,
      50,
    );

    const failedOverAt = Date.now();
    const { from, to } = await topology.failover(QUEUE_PREFIX, mode);
    expect(to).not.toBe(from);
    await until(
      async () => (await fetch(`${h.baseUrl}/healthz`)).status === 200,
      30_000 - (Date.now() - failedOverAt),
      '/healthz to answer 200 again',
      200,
    );
    const healthyAfterMs = Date.now() - failedOverAt;

    await until(async () => (await h.bot.deps.runs.get(runId))?.status === 'done', 120_000, `${runId} to be done`, 200);
    const stripe = transfersOf(h, runId, lines);
    const counts = await runCounts(h, runId);
    expect({
      created: stripe.created,
      duplicates: stripe.duplicates,
      paid: counts.paid,
      failed: counts.failed,
      pending: counts.pending,
    }).toEqual({
      created: LINES,
      duplicates: 0,
      paid: LINES,
      failed: 0,
      pending: 0,
    });
    expect(counts.paidTotals).toEqual([{ currency: 'eur', amount: stripe.totalCents }]);
    expect(stripe.amountMatches).toBe(true);
    expect(healthyAfterMs).toBeLessThan(30_000);
  }

  describe(name, () => {
    it('when a transfer is requested and approved, then the seller is paid once, and each transition waited for a replica', async () => {
      const waitsBefore = await waitCalls();
      const { message, requestId } = await requestViaSlack(h, `transfer <@${PEOPLE.seller1}|ana> 12.34 eur`);
      await clickApprove(h, message, requestId, PEOPLE.approver1);
      const request = await waitForState(h, requestId, ['completed'], 20_000);
      const transfers = h.stripe.control.transfers().filter((t) => t.transfer_group === requestRef(requestId));
      expect(transfers.map((t) => t.amount)).toEqual([1234]);
      expect(request.stripeId).toBe(transfers[0]!.id);
      // pending, approved, executing, completed: each one WAITed on the master of our records.
      expect((await waitCalls()) - waitsBefore).toBeGreaterThanOrEqual(4);
    }, 30_000);

    it(`when the master holding the queues fails over (${manual}) during a ${LINES}-line run on two workers, then every line is paid exactly once and the summary equals Stripe's total`, async () => {
      await runThroughFailover('run-manual-failover', 'manual');
    }, 180_000);

    it(`when the master holding the queues is killed (SIGKILL) during a ${LINES}-line run on two workers, then every line is paid exactly once and the summary equals Stripe's total`, async () => {
      await runThroughFailover('run-killed-master', 'kill');
    }, 180_000);
  });
}
