import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, PEOPLE, startHarness } from '../../emulators/local-stack.js';
import { eventually } from '../support/eventually.js';
import { onboardPayableSeller } from '../support/onboarding.js';
import { clickApprove, requestViaSlack, stripePosts, waitForState } from '../support/requests.js';

/**
 * Crashes need processes: the web front runs in the test, the BullMQ worker as a child (`ROLE=worker`, the real entry point),
 * so it can be killed with SIGKILL mid-job.
 */
let h: Harness;
const children: ChildProcess[] = [];
const seller = `<@${PEOPLE.seller1}|ana>`;

function startWorkerProcess(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, ...h.env, ROLE: 'worker', PORT: '0', WORKER_LOCK_SECONDS: '2', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

beforeAll(async () => {
  h = await startHarness({ env: { ROLE: 'web' }, redis: { appendonly: true } });
  await onboardPayableSeller(h); // the return URL (web) records it: no worker needed
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});
afterAll(async () => {
  await h?.stop();
});

const transfersOf = (requestId: string) =>
  h.stripe.control.transfers().filter((t) => t.transfer_group === `pay_rq.${requestId}`);

describe('faults', () => {
  it('when the worker is killed after calling Stripe but before recording the result, then after a restart the seller is paid exactly once', async () => {
    const worker = startWorkerProcess();
    h.stripe.control.delayNext({ method: 'POST', path: '/v1/transfers', ms: 1_500 });
    const { message, requestId } = await requestViaSlack(h, `transfer ${seller} 15.00 eur`);
    await clickApprove(h, message, requestId, PEOPLE.approver1);
    await waitForState(h, requestId, ['executing'], 15_000);
    await h.slack.waitFor(
      () =>
        stripePosts(h, '/v1/transfers').length > 0 || h.stripe.control.requests.some((r) => r.path === '/v1/transfers'),
      { timeoutMs: 5_000 },
    );
    worker.kill('SIGKILL');
    // Stripe finishes what it was sent, but nobody is left to record it.
    await h.slack.waitFor(() => transfersOf(requestId).length === 1 || undefined, { timeoutMs: 5_000 });
    expect((await h.bot.deps.requests.get(requestId))?.state).toBe('executing');

    startWorkerProcess();
    const request = await waitForState(h, requestId, ['completed'], 20_000);
    expect(transfersOf(requestId)).toHaveLength(1);
    expect(request.stripeId).toBe(transfersOf(requestId)[0]!.id);
    const posts = stripePosts(h, '/v1/transfers').filter((r) => r.idempotencyKey === `pay_rq.${requestId}`);
    expect(posts.some((r) => r.replayed)).toBe(true);
  });

  it('when Redis restarts between the request and its approval, then the request is still there and completes', async () => {
    startWorkerProcess();
    const { message, requestId } = await requestViaSlack(h, `transfer ${seller} 16.00 eur`);
    await h.redis!.restart();
    await eventually(async () => (await h.bot.deps.redis.ping()) === 'PONG');
    expect((await h.bot.deps.requests.get(requestId))?.state).toBe('pending');
    await clickApprove(h, message, requestId, PEOPLE.approver1);
    await waitForState(h, requestId, ['completed'], 20_000);
    expect(transfersOf(requestId)).toHaveLength(1);
  });

  it('when Redis is down, then health answers 503, and 200 once it is back', async () => {
    await h.redis!.stop();
    try {
      expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(503);
    } finally {
      await h.redis!.restart();
    }
    await eventually(async () => (await fetch(`${h.baseUrl}/healthz`)).status === 200);
  });
});
