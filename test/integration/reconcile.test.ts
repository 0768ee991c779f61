import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, type Harness, messageText, PEOPLE, startHarness } from '../../emulators/local-stack.js';
import { onboardPayableSeller } from '../support/onboarding.js';
import { reconcileViaSlack } from '../support/reconcile.js';
import { clickApprove, requestViaSlack, waitForState } from '../support/requests.js';
import { runToTheEnd } from '../support/runs.js';

let h: Harness;
let sellerAccount: string;
let stripe: Stripe;
const seller = `<@${PEOPLE.seller1}|ana>`;

beforeAll(async () => {
  h = await startHarness({
    env: { SWEEP_INTERVAL_SECONDS: '1' },
    stripe: { balances: { usd: 5_000_00, eur: 10_000_00 } },
  });
  sellerAccount = await onboardPayableSeller(h);
  stripe = new Stripe('sk_test_payoutops', { host: '127.0.0.1', port: h.stripe.port, protocol: 'http' });
});
afterAll(async () => {
  await h?.stop();
});

async function paidRequest(text: string): Promise<string> {
  const { message, requestId } = await requestViaSlack(h, text);
  await clickApprove(h, message, requestId, PEOPLE.approver1);
  await waitForState(h, requestId, ['completed'], 20_000);
  return requestId;
}

async function paidRun(id: string, amounts: number[]): Promise<void> {
  const lines = amounts.map((amount, i) => ({
    key: `l${i}`,
    userId: PEOPLE.seller1,
    accountId: sellerAccount,
    money: { amount, currency: 'eur' },
    description: null,
  }));
  await runToTheEnd(h, id, lines, 30_000);
}

const transferOf = (payoutRef: string) => h.stripe.control.transfers().find((t) => t.transfer_group === payoutRef)!;

describe('/payout reconcile', () => {
  it('when payments went through Stripe 500s, replies lost after Stripe acted, and 429s, then reconcile reports every payment and 0 differences', async () => {
    h.stripe.control.failNext({ method: 'POST', path: '/v1/transfers', status: 500, count: 3 });
    await paidRequest(`transfer ${seller} 4.00 eur`);
    h.stripe.control.failAfterSideEffect({ method: 'POST', path: '/v1/transfers', status: 500, count: 2 });
    h.stripe.control.failNext({
      method: 'POST',
      path: '/v1/transfers',
      status: 429,
      count: 2,
      headers: { 'Retry-After': '1' },
    });
    await paidRun('run-flaky', [1_00, 2_00, 3_00, 4_00]);
    await paidRequest('topup 100.00 usd');
    expect(h.stripe.control.requests.some((r) => r.fault === 'after_side_effect')).toBe(true);

    const result = await reconcileViaSlack(h);
    expect(result).toMatchObject({ compared: 6, differences: 0 });
    expect(result.text).toMatch(/^.*6 payments compared, 0 differences/m);
  });

  it('when each kind of difference is planted at Stripe, then each is reported with the payment it concerns, and ours are adopted once, audited', async () => {
    const missing = `pay_rq.${await paidRequest(`transfer ${seller} 5.00 eur`)}`;
    await paidRun('run-drift', [10_00, 20_00]);
    const drifted = 'pay_rl.run-drift.l0';
    const reversed = 'pay_rl.run-drift.l1';
    const topup = `pay_rq.${await paidRequest('topup 50.00 usd')}`;

    h.stripe.control.plant.forget(transferOf(missing).id);
    h.stripe.control.plant.transfer(transferOf(drifted).id, { amount: 10_01 });
    await h.stripe.control.withoutWebhooks(() =>
      h.stripe.control.reverseTransfer(transferOf(reversed).id, { amount: 5_00 }),
    );
    const topupObject = h.stripe.control.topups().find((t) => t.transfer_group === topup)!;
    h.stripe.control.plant.net(topupObject.balance_transaction!, 49_70);
    const ours = await stripe.transfers.create({
      amount: 7_00,
      currency: 'eur',
      destination: sellerAccount,
      transfer_group: 'pay_rq.req_lostrecord1',
      metadata: { payout_ref: 'pay_rq.req_lostrecord1', payout_kind: 'request' },
    });
    const foreign = await stripe.transfers.create({
      amount: 8_00,
      currency: 'eur',
      destination: sellerAccount,
      description: 'made in the Dashboard',
    });

    const { text, differences } = await reconcileViaSlack(h);
    // One difference a row: rows are joined by newlines, which the blocks' JSON shows as \n.
    const line = (label: string, ...ids: string[]) =>
      expect(
        text.split('\\n').some((row) => row.includes(label) && ids.every((id) => row.includes(id))),
        `${label} naming ${ids.join(', ')}`,
      ).toBe(true);
    line('Missing at Stripe', missing);
    line('Field drift', drifted, '€10.00', '€10.01');
    line('State drift', reversed, '€5.00 reversed');
    line('Balance drift', 'EUR', reversed);
    line('Balance drift', 'USD', topup, 'ours $150.00', 'Stripe $149.70');
    line('Unknown to us, made by the bot', 'pay_rq.req_lostrecord1', ours.id);
    line('Made outside the bot', foreign.id, '€8.00');
    expect(differences).toBe(7);

    const adopted = (await h.bot.deps.audit.latest(20)).filter((e) => e.action === 'reconcile.adopted');
    expect(adopted).toMatchObject([
      { payoutRef: 'pay_rq.req_lostrecord1', stripeId: ours.id, actor: PEOPLE.approver1 },
    ]);
    const again = await reconcileViaSlack(h);
    expect(again.text).not.toContain('Unknown to us');
    expect(again.text).toContain(foreign.id);
    expect((await h.bot.deps.audit.latest(50)).filter((e) => e.action === 'reconcile.run').at(-1)).toMatchObject({
      actor: PEOPLE.approver1,
      detail: expect.stringMatching(/payments compared, 6 differences/),
    });
    expect((await h.bot.deps.reconcile.latest())?.differences).toHaveLength(6);
    // Each reconciliation's scratch is deleted when it ends.
    expect(await h.bot.deps.redis.keys('payout:reconcile:*')).toEqual([]);
  });

  it('when there are more differences than a message holds, then the first ones are shown and all of them arrive as a CSV file', async () => {
    for (let i = 0; i < 25; i++)
      await stripe.transfers.create({ amount: 1_00 + i, currency: 'eur', destination: sellerAccount });
    const { text, differences } = await reconcileViaSlack(h, '', PEOPLE.approver2);
    expect(differences).toBeGreaterThan(25);
    expect(text).toContain('more. All of them are in the CSV file');
    const file = await h.slack.waitFor(() => h.slack.files().find((f) => f.filename.startsWith('payout-reconcile-')));
    const rows = file.content.toString('utf8').trim().split('\n');
    expect(rows[0]).toBe('class,payout_refs,stripe_id,field,ours,stripe,what_to_do');
    expect(rows).toHaveLength(differences + 1);
  });

  it('when the dates are not a window, or too long, then the person is told how to write them', async () => {
    for (const [args, expected] of [
      ['2026-13-01', 'YYYY-MM-DD'],
      ['2026-12-06..2026-12-01', 'YYYY-MM-DD'],
      ['2026-01-01..2026-12-31', 'at most 92 days'],
      ['a b', 'at most one date'],
    ] as const) {
      const before = h.slack.ephemerals(PEOPLE.approver1).length;
      await h.sender.slashCommand({ text: `reconcile ${args}`, userId: PEOPLE.approver1, channelId: CHANNELS.general });
      await h.slack.waitFor(() =>
        h.slack
          .ephemerals(PEOPLE.approver1)
          .slice(before)
          .find((e) => messageText(e).includes(expected)),
      );
    }
    const before = h.slack.ephemerals(PEOPLE.outsider).length;
    await h.sender.slashCommand({ text: 'reconcile', userId: PEOPLE.outsider, channelId: CHANNELS.general });
    await h.slack.waitFor(() =>
      h.slack
        .ephemerals(PEOPLE.outsider)
        .slice(before)
        .find((e) => messageText(e).includes('only payout requesters and approvers')),
    );
  });
});
