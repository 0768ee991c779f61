import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, messageText, PEOPLE, startHarness } from '../../emulators/local-stack.js';
import { createRedisRequestStore } from '../../src/adapters/redis/request-store.js';
import { describeRecorded } from '../../src/slack/messages.js';
import { eventually } from '../support/eventually.js';
import { onboardPayableSeller } from '../support/onboarding.js';
import { approvalMessageNow, clickApprove, requestViaSlack, stripePosts, waitForState } from '../support/requests.js';

let h: Harness;
const seller = `<@${PEOPLE.seller1}|ana>`;

beforeAll(async () => {
  h = await startHarness({ env: { SWEEP_INTERVAL_SECONDS: '1' } });
  await onboardPayableSeller(h);
});
afterAll(async () => {
  await h?.stop();
});

async function approvedTransfer(amount: string) {
  const { message, requestId } = await requestViaSlack(h, `transfer ${seller} ${amount} eur`);
  await clickApprove(h, message, requestId, PEOPLE.approver1);
  return { message, requestId };
}
const transfersOf = (requestId: string) =>
  h.stripe.control.transfers().filter((t) => t.transfer_group === `pay_rq.${requestId}`);
const postsOf = (requestId: string) =>
  stripePosts(h, '/v1/transfers').filter((r) => r.idempotencyKey === `pay_rq.${requestId}`);

describe('executing approved requests against Stripe', () => {
  it('when Stripe answers 500 twice and then succeeds, then exactly one transfer is made', async () => {
    h.stripe.control.failNext({ method: 'POST', path: '/v1/transfers', status: 500, count: 2 });
    const { requestId } = await approvedTransfer('4.00');
    await waitForState(h, requestId, ['completed']);
    expect(postsOf(requestId).map((r) => r.status)).toEqual([500, 500, 200]);
    expect(transfersOf(requestId)).toHaveLength(1);
  });

  it('when Stripe answers 429 with Retry-After, then the job waits for the hint and tries again with the same key', async () => {
    h.stripe.control.failNext({
      method: 'POST',
      path: '/v1/transfers',
      status: 429,
      count: 1,
      headers: { 'Retry-After': '1' },
    });
    const { requestId } = await approvedTransfer('4.50');
    await waitForState(h, requestId, ['completed']);
    const posts = postsOf(requestId);
    expect(posts.map((r) => r.status)).toEqual([429, 200]);
    expect(Date.parse(posts[1]!.at) - Date.parse(posts[0]!.at)).toBeGreaterThanOrEqual(950);
    expect(transfersOf(requestId)).toHaveLength(1);
  });

  it('when the balance is short and the card says so, an approver may still approve: the request waits for funds without asking Stripe, and is paid once when they arrive', async () => {
    h.stripe.control.setBalance('eur', 1_00);
    try {
      const { message, requestId } = await requestViaSlack(h, `transfer ${seller} 50.00 eur`);
      expect(messageText(message)).toMatch(/Available now\* \(as of \d\d:\d\d UTC\)\\n€1.00 :warning: short by €49.00/);
      expect(messageText(message)).toContain('Approve anyway');
      expect(messageText(message)).toContain('it waits for funds instead of failing');
      await clickApprove(h, message, requestId, PEOPLE.approver1);
      await h.slack.waitFor(() => messageText(approvalMessageNow(h, message.ts)).includes('waiting for funds'));
      expect((await h.bot.deps.requests.get(requestId))?.state).toBe('approved');
      expect(postsOf(requestId)).toHaveLength(0);
      h.stripe.control.setBalance('eur', 2_000_00);
      await waitForState(h, requestId, ['completed'], 10_000);
      expect(transfersOf(requestId)).toHaveLength(1);
    } finally {
      h.stripe.control.setBalance('eur', 2_000_00);
    }
  });

  it('when Stripe still refuses for the balance (spent meanwhile), then the request fails at once with the balance and a top-up suggestion', async () => {
    h.stripe.control.failNext({
      method: 'POST',
      path: '/v1/transfers',
      status: 402,
      error: {
        type: 'invalid_request_error',
        code: 'balance_insufficient',
        message: 'You have insufficient available funds in your Stripe account.',
      },
    });
    try {
      const { message, requestId } = await approvedTransfer('50.00');
      const request = await waitForState(h, requestId, ['failed']);
      expect(request.failure?.code).toBe('stripe_balance_insufficient');
      expect(request.failure && describeRecorded(request.failure)).toContain('available, €50.00 needed');
      expect(postsOf(requestId)).toHaveLength(1);
      await h.slack.waitFor(() => messageText(approvalMessageNow(h, message.ts)).includes('Failed'));
      expect(messageText(approvalMessageNow(h, message.ts))).toContain('/payout topup');
      await h.slack.waitFor(() =>
        h.slack.messages(PEOPLE.requester).find((m) => m.text?.includes(requestId) && m.text.includes('Failed')),
      );
    } finally {
      h.stripe.control.setBalance('eur', 2_000_00);
    }
  });

  it('when the seller can no longer receive transfers, then the request fails with what to do', async () => {
    const account = h.stripe.control.accounts().find((a) => a.metadata.slack_user_id === PEOPLE.seller1)!;
    const { message, requestId } = await requestViaSlack(h, `transfer ${seller} 6.00 eur`);
    await h.stripe.control.restrictAccount(account.id);
    await clickApprove(h, message, requestId, PEOPLE.approver1);
    const request = await waitForState(h, requestId, ['failed']);
    expect(request.failure && describeRecorded(request.failure)).toMatch(/can no longer receive transfers/);
    await h.stripe.control.completeOnboarding(account.id, { complete: true });
    await eventually(async () => (await h.bot.deps.sellers.get('T0TEAM', PEOPLE.seller1))?.state === 'payable');
  });

  it('when the enqueue was lost between approval and queue, then the sweeper finds the approved request and pays it once', async () => {
    const { requestId } = await requestViaSlack(h, `transfer ${seller} 2.00 eur`);
    // What a crash right after the approval leaves behind: approved in Redis, no job.
    const store = createRedisRequestStore(h.bot.deps.redis);
    await store.transition(
      requestId,
      (r) => ({
        ...r,
        state: 'approved',
        approvals: [{ userId: PEOPLE.approver1, at: new Date().toISOString() }],
        updatedAt: new Date(Date.now() - 5_000).toISOString(),
      }),
      { actor: PEOPLE.approver1, action: 'request.approval' },
    );
    expect(await h.bot.deps.queues.executions.getJob(requestId)).toBeUndefined();
    await waitForState(h, requestId, ['completed'], 10_000);
    expect(transfersOf(requestId)).toHaveLength(1);
  });
});
