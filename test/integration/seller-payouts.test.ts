import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  buttonUrl,
  CHANNELS,
  type Harness,
  messageText,
  PEOPLE,
  startHarness,
  testClock,
} from '../../emulators/local-stack.js';
import { eventually } from '../support/eventually.js';
import { onboardPayableSeller } from '../support/onboarding.js';
import { clickApprove, requestViaSlack, waitForState } from '../support/requests.js';

let h: Harness;
let account1: string;
let account2: string;

beforeAll(async () => {
  h = await startHarness();
  account1 = await onboardPayableSeller(h, PEOPLE.seller1);
  account2 = await onboardPayableSeller(h, PEOPLE.seller2);
});
afterEach(() => {
  testClock.offsetMs = 0;
});
afterAll(async () => {
  await h?.stop();
});

const opsSaying = (words: string) => h.slack.messages(CHANNELS.ops).filter((m) => messageText(m).includes(words));
const settle = () => new Promise((r) => setTimeout(r, 500));

async function ephemeralAfter(userId: string, text: string, expected: string) {
  const before = h.slack.ephemerals(userId).length;
  await h.sender.slashCommand({ text, userId, channelId: CHANNELS.general });
  return messageText(
    await h.slack.waitFor(() =>
      h.slack
        .ephemerals(userId)
        .slice(before)
        .find((e) => messageText(e).includes(expected)),
    ),
  );
}

describe("the seller's bank", () => {
  it("when a seller's bank rejects a payout and Stripe delivers payout.failed twice, then ops gets one notice with the reason, the seller one DM whose button opens a fresh dashboard link each time, and status shows it", async () => {
    const paid = await requestViaSlack(h, `transfer <@${PEOPLE.seller2}|bo> 20.00 eur`);
    await clickApprove(h, paid.message, paid.requestId, PEOPLE.approver1);
    await waitForState(h, paid.requestId, ['completed']);
    await h.stripe.control.changeBankAccount(account2, '000111111116');
    const dmsBefore = h.slack.messages(PEOPLE.seller2).length;

    const payout = (await h.stripe.control.payOut(account2))!;
    expect(payout).toMatchObject({ status: 'failed', failure_code: 'account_closed', amount: 20_00 });
    const failed = h.stripe.control.events().find((r) => r.event.type === 'payout.failed')!;
    await h.stripe.control.redeliver(failed.event.id);
    await h.stripe.control.deliver({ ...failed.event, id: 'evt_1samefailureresent' });
    await h.slack.waitFor(() => opsSaying('bank rejected a payout')[0]);
    await eventually(
      async () => (await h.bot.deps.queues.stripeEvents.getJobCounts('waiting', 'active')).waiting === 0,
    );
    await settle();

    const notices = opsSaying('bank rejected a payout');
    expect(notices).toHaveLength(1);
    expect(messageText(notices[0])).toContain('the bank account has been closed');
    expect(messageText(notices[0])).toContain('€20.00');
    const dms = h.slack
      .messages(PEOPLE.seller2)
      .slice(dmsBefore)
      .filter((m) => messageText(m).includes('Open my Stripe dashboard'));
    expect(dms).toHaveLength(1);

    const url = buttonUrl(dms[0]!.blocks)!;
    expect(url).toMatch(/\/connect\/login\?token=/);
    const first = await fetch(url, { redirect: 'manual' });
    const second = await fetch(url, { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toMatch(new RegExp(`/express/${account2}/ll_`));
    expect(second.headers.get('location')).not.toBe(first.headers.get('location'));
    expect((await fetch(url.replace(/token=.*/, 'token=forged.token'), { redirect: 'manual' })).status).toBe(400);

    const status = await ephemeralAfter(PEOPLE.approver1, `status <@${PEOPLE.seller2}>`, 'Last bank payout');
    expect(status).toContain(payout.id);
    expect(status).toContain('failed: the bank account has been closed');
    expect((await h.bot.deps.audit.latest(30)).filter((e) => e.action === 'seller.payout_failed')).toMatchObject([
      { stripeId: payout.id, payee: { userId: PEOPLE.seller2 } },
    ]);
  });

  it('when a seller changes bank account, then ops is told once, the next transfer to them needs two approvals with the reason on the card, and after the hold one', async () => {
    await h.stripe.control.changeBankAccount(account1, '000123456789');
    await h.slack.waitFor(() => opsSaying(`<@${PEOPLE.seller1}>'s bank account changed`)[0]);
    await settle();
    expect(opsSaying(`<@${PEOPLE.seller1}>'s bank account changed`)).toHaveLength(1);

    const held = await requestViaSlack(h, `transfer <@${PEOPLE.seller1}|ana> 5.00 eur`);
    expect(messageText(held.message)).toContain('needs 2 different approvers');
    expect(messageText(held.message)).toContain('bank account changed');
    await clickApprove(h, held.message, held.requestId, PEOPLE.approver1);
    expect((await h.bot.deps.requests.get(held.requestId))?.state).toBe('pending');
    await clickApprove(h, held.message, held.requestId, PEOPLE.approver2);
    await waitForState(h, held.requestId, ['completed']);

    testClock.offsetMs = 73 * 3_600_000;
    const after = await requestViaSlack(h, `transfer <@${PEOPLE.seller1}|ana> 5.00 eur`);
    expect(messageText(after.message)).toContain('needs 1 approver');
    expect(messageText(after.message)).not.toContain('bank account changed');
    await clickApprove(h, after.message, after.requestId, PEOPLE.approver1);
    await waitForState(h, after.requestId, ['completed']);
  });

  it('when a seller disconnects from the platform, then they are marked disconnected, their plan line paused, requests to them refused, and ops told', async () => {
    await h.bot.deps.plan.set({
      teamId: 'T0TEAM',
      userId: PEOPLE.seller2,
      accountId: account2,
      money: { amount: 3_00, currency: 'eur' },
      description: null,
      approvedBy: [PEOPLE.approver1],
      requestId: 'req_planned',
      updatedAt: new Date().toISOString(),
    });
    await h.stripe.control.deauthorize(account2);
    await h.slack.waitFor(() => opsSaying(`<@${PEOPLE.seller2}> disconnected their Stripe account`)[0]);
    expect(messageText(opsSaying('disconnected their Stripe account')[0])).toContain('payout plan line is paused');
    expect((await h.bot.deps.sellers.get('T0TEAM', PEOPLE.seller2))?.state).toBe('disconnected');
    expect((await h.bot.deps.plan.list('T0TEAM')).find((e) => e.userId === PEOPLE.seller2)?.pausedReason).toContain(
      'disconnected',
    );

    const refused = await ephemeralAfter(PEOPLE.requester, `transfer <@${PEOPLE.seller2}|bo> 1.00 eur`, 'disconnected');
    expect(refused).toContain('cannot be paid');
    expect(await ephemeralAfter(PEOPLE.approver1, 'plan', 'Payout plan')).toContain('paused');
  });
});
