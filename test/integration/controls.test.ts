import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, type Harness, messageText, PEOPLE, startHarness } from '../../emulators/local-stack.js';
import { storeKey } from '../../src/adapters/redis/keys.js';
import { eventually } from '../support/eventually.js';
import { onboardPayableSeller } from '../support/onboarding.js';
import { clickApprove, requestViaSlack, stripePosts, waitForState } from '../support/requests.js';
import { launchRun } from '../support/runs.js';

let h: Harness;
let sellerAccount: string;
/** The worker's run-line concurrency: how many transfers can be on their way to Stripe at one moment. */
const IN_FLIGHT = 50;

beforeAll(async () => {
  h = await startHarness({
    env: { ROLE: 'web', VELOCITY_DAILY_TOTAL: 'usd:300', LOG_LEVEL: 'warn' },
    stripe: { balances: { usd: 100_000_00, eur: 1_000_000_00 } },
  });
  await h.startAnotherBot({ ROLE: 'worker', STRIPE_TRANSFERS_PER_SECOND: String(IN_FLIGHT) });
  sellerAccount = await onboardPayableSeller(h);
});
afterAll(async () => {
  await h?.stop();
});

const runTransfers = (runId: string) =>
  h.stripe.control.transfers().filter((t) => t.transfer_group?.startsWith(`pay_rl.${runId}.`));
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the kill switch', () => {
  it('when payouts are frozen during a 1,000-line run, then only the calls in flight reach Stripe; one approver cannot unfreeze; two can, and every line is paid exactly once', async () => {
    const lines = Array.from({ length: 1_000 }, (_, i) => ({
      key: `line${i + 1}`,
      userId: PEOPLE.seller1,
      accountId: sellerAccount,
      money: { amount: 100 + i, currency: 'eur' },
      description: null,
    }));
    const run = await launchRun(h, 'run-freeze-test', lines, { requestedBy: PEOPLE.requester });
    await eventually(async () => runTransfers(run.id).length >= 100 || undefined, {
      timeoutMs: 30_000,
      what: '100 lines paid',
    });

    const res = await h.sender.slashCommand({
      text: 'freeze all the bank called about fraud',
      userId: PEOPLE.approver1,
      channelId: CHANNELS.general,
    });
    expect(res.status).toBe(200);
    await h.slack.waitFor(() =>
      h.slack.ephemerals(PEOPLE.approver1).find((e) => messageText(e).includes('Frozen: all payouts')),
    );
    const postsAtFreeze = stripePosts(h, '/v1/transfers').length;
    await pause(3_000);
    const postsAfter = stripePosts(h, '/v1/transfers').length;
    expect(postsAfter - postsAtFreeze).toBeLessThanOrEqual(IN_FLIGHT);
    await pause(2_000);
    expect(stripePosts(h, '/v1/transfers').length).toBe(postsAfter);
    expect(runTransfers(run.id).length).toBeLessThan(1_000);
    for (const channel of [CHANNELS.ops, CHANNELS.approvals]) {
      expect(
        h.slack
          .messages(channel)
          .some(
            (m) =>
              messageText(m).includes('Frozen: all payouts') && messageText(m).includes('the bank called about fraud'),
          ),
      ).toBe(true);
    }
    expect(
      (await h.bot.deps.audit.latest(50)).some((e) => e.action === 'freeze.on' && e.actor === PEOPLE.approver1),
    ).toBe(true);

    // Requests can still be made while frozen: the unfreeze itself is one, for two approvers.
    const unfreeze = await requestViaSlack(h, 'unfreeze all');
    await clickApprove(h, unfreeze.message, unfreeze.requestId, PEOPLE.approver1);
    await waitForState(h, unfreeze.requestId, ['pending']);
    await pause(2_000);
    expect(stripePosts(h, '/v1/transfers').length).toBe(postsAfter);
    expect(await h.bot.deps.freezes.list()).toHaveLength(1);

    await clickApprove(h, unfreeze.message, unfreeze.requestId, PEOPLE.approver2);
    await waitForState(h, unfreeze.requestId, ['completed']);
    await eventually(async () => (await h.bot.deps.runs.get(run.id))?.status === 'done', {
      timeoutMs: 60_000,
      what: 'run done',
    });
    const transfers = runTransfers(run.id);
    expect(transfers).toHaveLength(1_000);
    expect(new Set(transfers.map((t) => t.transfer_group)).size).toBe(1_000);
    expect(transfers.reduce((sum, t) => sum + t.amount, 0)).toBe(lines.reduce((sum, l) => sum + l.money.amount, 0));
    expect(h.slack.messages(CHANNELS.ops).some((m) => messageText(m).includes('Unfrozen: all payouts'))).toBe(true);
  }, 120_000);

  it('when the freezer asks to unfreeze, then they cannot approve it themselves', async () => {
    await h.sender.slashCommand({
      text: 'freeze usd checking a payout',
      userId: PEOPLE.approver1,
      channelId: CHANNELS.general,
    });
    await h.slack.waitFor(() =>
      h.slack.messages(CHANNELS.approvals).find((m) => messageText(m).includes('Frozen: USD payouts')),
    );
    const before = h.slack.ephemerals(PEOPLE.approver1).length;
    const unfreeze = await requestViaSlack(h, 'unfreeze usd', PEOPLE.approver1);
    await clickApprove(h, unfreeze.message, unfreeze.requestId, PEOPLE.approver1);
    const refusal = await h.slack.waitFor(() =>
      h.slack
        .ephemerals(PEOPLE.approver1)
        .slice(before)
        .find((e) => messageText(e).includes('someone else')),
    );
    expect(refusal).toBeDefined();
    expect(await h.bot.deps.requests.get(unfreeze.requestId)).toMatchObject({ state: 'pending', approvals: [] });
  });
});

describe('daily limits', () => {
  it('when 20 transfers of $100 are approved at once against a $300 daily total, then exactly $300 reaches Stripe and the rest wait, with ops and the requester told', async () => {
    await h.bot.deps.freezes.lift({ kind: 'currency', currency: 'usd' }, [PEOPLE.approver1, PEOPLE.approver2]);
    const requests = [];
    for (let i = 0; i < 20; i++)
      requests.push(await requestViaSlack(h, `transfer <@${PEOPLE.seller1}|ana> 100 usd limit ${i}`));
    await Promise.all(requests.map((r) => clickApprove(h, r.message, r.requestId, PEOPLE.approver1)));
    const usdPaid = () =>
      h.stripe.control.transfers().filter((t) => t.currency === 'usd' && t.transfer_group?.startsWith('pay_rq.'));
    await eventually(async () => usdPaid().length === 3 || undefined, { timeoutMs: 15_000, what: '3 transfers paid' });
    await h.slack.waitFor(
      () =>
        h.slack.messages(CHANNELS.ops).filter((m) => messageText(m).includes('Daily limit reached')).length >= 17 ||
        undefined,
      { timeoutMs: 15_000 },
    );
    await pause(2_000);
    expect(usdPaid().reduce((sum, t) => sum + t.amount, 0)).toBe(300_00);
    expect(h.slack.messages(PEOPLE.requester).some((m) => messageText(m).includes('Daily limit reached'))).toBe(true);
  }, 60_000);

  it("when an override of a held payment is approved by one approver it still waits; approved by a second, it is paid once today and counted in the day's total", async () => {
    const usdPaid = () =>
      h.stripe.control.transfers().filter((t) => t.currency === 'usd' && t.transfer_group?.startsWith('pay_rq.'));
    const notice = h.slack
      .messages(CHANNELS.ops)
      .find(
        (m) =>
          messageText(m).includes('Daily limit reached') && JSON.stringify(m.blocks ?? []).includes('limit_override'),
      )!;
    const payoutRef = /`(pay_rq\.req_\w+)`/.exec(messageText(notice))![1]!;
    expect(usdPaid().some((t) => t.transfer_group === payoutRef)).toBe(false);
    // The held request's card says why it waits, not "Executing".
    const heldCard = () =>
      messageText(
        h.slack
          .messages(CHANNELS.approvals)
          .find((m) => messageText(m).includes(`Request \`${payoutRef.slice('pay_rq.'.length)}\``)),
      );
    await h.slack.waitFor(() => heldCard().includes('waiting for the daily limit') || undefined);
    expect(heldCard()).not.toContain('Executing');
    // The DM to the requester tells, but offers no button (it would not count there).
    expect(
      h.slack.messages(PEOPLE.requester).some((m) => JSON.stringify(m.blocks ?? []).includes('limit_override')),
    ).toBe(false);

    const before = h.slack.messages(CHANNELS.approvals).length;
    await h.sender.blockAction({
      userId: PEOPLE.requester,
      actionId: 'limit_override',
      value: payoutRef,
      channelId: CHANNELS.ops,
      messageTs: notice.ts,
    });
    const card = await h.slack.waitFor(() =>
      h.slack
        .messages(CHANNELS.approvals)
        .slice(before)
        .find((m) => messageText(m).includes('Override the daily limit')),
    );
    expect(messageText(card)).toContain(payoutRef);
    const overrideId = /Request `(req_\w+)`/.exec(messageText(card))![1]!;

    await clickApprove(h, card, overrideId, PEOPLE.approver1);
    await waitForState(h, overrideId, ['pending']);
    await pause(2_000);
    expect(usdPaid().some((t) => t.transfer_group === payoutRef)).toBe(false);

    await clickApprove(h, card, overrideId, PEOPLE.approver2);
    await waitForState(h, overrideId, ['completed']);
    await eventually(async () => usdPaid().some((t) => t.transfer_group === payoutRef) || undefined, {
      timeoutMs: 15_000,
      what: 'the overridden payment paid',
    });
    await pause(2_000);
    expect(usdPaid().filter((t) => t.transfer_group === payoutRef)).toHaveLength(1);
    await h.slack.waitFor(() => heldCard().includes('Paid') || undefined);
    expect(usdPaid().reduce((sum, t) => sum + t.amount, 0)).toBe(400_00);
    const day = h.bot.deps.clock.now().toISOString().slice(0, 10);
    expect(Number(await h.bot.deps.redis.get(storeKey(`velocity:${day}:usd`)))).toBe(400_00);
    expect(
      (await h.bot.deps.audit.latest(100)).some((e) => e.action === 'limit.override' && e.subject === payoutRef),
    ).toBe(true);
    // A new transfer's card says what the day's limit leaves: nothing, $400 being paid against $300.
    const next = await requestViaSlack(h, `transfer <@${PEOPLE.seller1}|ana> 10 usd after the override`);
    expect(messageText(next.message)).toContain('$0.00 of $300.00 left today');
  }, 60_000);
});
