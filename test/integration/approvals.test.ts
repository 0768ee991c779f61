import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHANNELS, type Harness, messageText, PEOPLE, startHarness, testClock } from '../../emulators/local-stack.js';
import { onboardPayableSeller } from '../support/onboarding.js';
import { approvalMessageNow, clickApprove, requestViaSlack, stripePosts, waitForState } from '../support/requests.js';

let h: Harness;
let sellerAccount: string;
const seller = `<@${PEOPLE.seller1}|ana>`;

beforeAll(async () => {
  // approver1 may also request, to prove nobody approves their own request.
  h = await startHarness({
    env: { PAYOUT_REQUESTERS: `${PEOPLE.requester},${PEOPLE.approver1}`, MAX_REQUEST_AMOUNTS: 'usd:10000,eur:10000' },
  });
  sellerAccount = await onboardPayableSeller(h);
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(() => {
  testClock.offsetMs = 0;
});

/** Whether one of the person's latest replies says `text`: under load, the reply to an earlier action may land just after. */
const repliedWith = (userId: string, text: string) =>
  h.slack
    .ephemerals(userId)
    .slice(-3)
    .some((e) => e.text?.includes(text)) || undefined;

describe('a transfer behind the Approve button', () => {
  it('when an approver approves a small transfer, then the seller is paid once and everyone sees the outcome', async () => {
    const { message, requestId } = await requestViaSlack(h, `transfer ${seller} 10.00 EUR weekly earnings`);
    expect(messageText(message)).toContain('€10.00');
    expect(messageText(message)).toContain('request_approve');
    expect(messageText(message)).toContain('€2,000.00'); // available balance shown to approvers
    expect((await h.bot.deps.requests.get(requestId))?.state).toBe('pending');

    const click = await clickApprove(h, message, requestId, PEOPLE.approver1);
    expect(click.status).toBe(200);
    const request = await waitForState(h, requestId, ['completed']);

    const transfers = h.stripe.control.transfers().filter((t) => t.metadata.payout_ref === `pay_rq.${requestId}`);
    expect(transfers).toHaveLength(1);
    expect(transfers[0]).toMatchObject({
      amount: 1000,
      currency: 'eur',
      destination: sellerAccount,
      transfer_group: `pay_rq.${requestId}`,
    });
    expect(stripePosts(h, '/v1/transfers').find((r) => r.idempotencyKey === `pay_rq.${requestId}`)).toBeDefined();
    expect(request.stripeId).toBe(transfers[0]!.id);

    const updated = await h.slack.waitFor(() => {
      const m = approvalMessageNow(h, message.ts);
      return messageText(m).includes('Paid') ? m : undefined;
    });
    expect(messageText(updated)).toContain(transfers[0]!.id);
    expect(messageText(updated)).not.toContain('request_approve'); // buttons gone
    await h.slack.waitFor(() =>
      h.slack.messages(PEOPLE.requester).find((m) => m.text?.includes(requestId) && m.text.includes('Paid')),
    );
  });

  it('when a transfer is at or above the threshold, then it needs two different approvers and shows 1 of 2 in between', async () => {
    const { message, requestId } = await requestViaSlack(h, `transfer ${seller} 1000 eur`);
    await clickApprove(h, message, requestId, PEOPLE.approver1);
    await h.slack.waitFor(() => messageText(approvalMessageNow(h, message.ts)).includes('1 of 2 approvals'));
    await clickApprove(h, message, requestId, PEOPLE.approver1);
    await h.slack.waitFor(() => repliedWith(PEOPLE.approver1, 'already approved this request'));
    expect((await h.bot.deps.requests.get(requestId))?.state).toBe('pending');
    // approver2 is an approver through the SAPPROVERS user group.
    await clickApprove(h, message, requestId, PEOPLE.approver2);
    const request = await waitForState(h, requestId, ['completed']);
    expect(request.approvals.map((a) => a.userId)).toEqual([PEOPLE.approver1, PEOPLE.approver2]);
  });

  it('when twenty approvers click Approve at the same moment, then Stripe is called once', async () => {
    const { message, requestId } = await requestViaSlack(h, `transfer ${seller} 5.00 eur`);
    const clicks = await Promise.all(
      Array.from({ length: 20 }, () => clickApprove(h, message, requestId, PEOPLE.approver1)),
    );
    expect(clicks.every((c) => c.status === 200)).toBe(true);
    await waitForState(h, requestId, ['completed']);
    await new Promise((r) => setTimeout(r, 300));
    expect(stripePosts(h, '/v1/transfers').filter((r) => r.idempotencyKey === `pay_rq.${requestId}`)).toHaveLength(1);
    expect(h.stripe.control.transfers().filter((t) => t.transfer_group === `pay_rq.${requestId}`)).toHaveLength(1);
    const approvals = h.logs.lines.filter((l) => l.event === 'request.approve_click' && l.subject === requestId);
    expect(approvals.filter((l) => l.outcome === 'approved')).toHaveLength(1);
  });

  it('when the requester approves their own request, a non-approver clicks, or a click comes from elsewhere, then nothing changes', async () => {
    const { message, requestId } = await requestViaSlack(h, `transfer ${seller} 7.00 eur`, PEOPLE.approver1);
    await clickApprove(h, message, requestId, PEOPLE.approver1);
    await h.slack.waitFor(() => repliedWith(PEOPLE.approver1, 'You asked for this one'));
    await clickApprove(h, message, requestId, PEOPLE.outsider);
    await h.slack.waitFor(() => repliedWith(PEOPLE.outsider, 'not on the list of approvers'));
    await clickApprove(h, message, requestId, PEOPLE.approver2, { channelId: CHANNELS.general });
    await h.slack.waitFor(() => repliedWith(PEOPLE.approver2, 'only in the approvals channel'));
    await clickApprove(h, message, requestId, PEOPLE.approver2, { teamId: 'T0OTHER' });
    await h.slack.waitFor(() => repliedWith(PEOPLE.approver2, 'another workspace'));
    const forged = await h.sender.blockAction(
      {
        userId: PEOPLE.approver2,
        actionId: 'request_approve',
        value: requestId,
        channelId: CHANNELS.approvals,
        messageTs: message.ts,
      },
      { signature: 'v0=forged' },
    );
    expect(forged.status).toBe(401);
    const stale = await h.sender.blockAction(
      {
        userId: PEOPLE.approver2,
        actionId: 'request_approve',
        value: requestId,
        channelId: CHANNELS.approvals,
        messageTs: message.ts,
      },
      { timestamp: Math.floor(Date.now() / 1000) - 400 },
    );
    expect(stale.status).toBe(401);
    const request = await h.bot.deps.requests.get(requestId);
    expect(request).toMatchObject({ state: 'pending', approvals: [] });
    expect(h.stripe.control.transfers().filter((t) => t.transfer_group === `pay_rq.${requestId}`)).toHaveLength(0);
  });

  it('when a request has expired, then a click expires it, says so, and pays nothing', async () => {
    const { message, requestId } = await requestViaSlack(h, `transfer ${seller} 8.00 eur`);
    testClock.offsetMs = 86_400_000 + 1_000;
    await clickApprove(h, message, requestId, PEOPLE.approver1);
    await h.slack.waitFor(() => repliedWith(PEOPLE.approver1, 'expired'));
    expect((await h.bot.deps.requests.get(requestId))?.state).toBe('expired');
    await h.slack.waitFor(() => messageText(approvalMessageNow(h, message.ts)).includes('Expired'));
    expect(h.stripe.control.transfers().filter((t) => t.transfer_group === `pay_rq.${requestId}`)).toHaveLength(0);
  });

  it('when an approved click is replayed, then it changes nothing and says who approved', async () => {
    const { message, requestId } = await requestViaSlack(h, `transfer ${seller} 9.00 eur`);
    await clickApprove(h, message, requestId, PEOPLE.approver1);
    await waitForState(h, requestId, ['completed']);
    await clickApprove(h, message, requestId, PEOPLE.approver2);
    await h.slack.waitFor(() => repliedWith(PEOPLE.approver2, `approved by <@${PEOPLE.approver1}>`));
    expect(h.stripe.control.transfers().filter((t) => t.transfer_group === `pay_rq.${requestId}`)).toHaveLength(1);
  });

  it('when an approver rejects, then a reason is asked for, the message shows it and nothing is paid', async () => {
    const { message, requestId } = await requestViaSlack(h, `transfer ${seller} 11.00 eur`);
    await h.sender.blockAction({
      userId: PEOPLE.approver1,
      actionId: 'request_reject',
      value: requestId,
      channelId: CHANNELS.approvals,
      messageTs: message.ts,
    });
    const view = await h.slack.waitFor(() =>
      h.slack.views().find((v) => v.callback_id === 'reject_modal' && v.private_metadata.includes(requestId)),
    );
    const empty = await h.sender.viewSubmission({
      userId: PEOPLE.approver1,
      callbackId: 'reject_modal',
      viewId: view.id,
      values: { reject_reason: { reason: { type: 'plain_text_input', value: ' ' } } },
    });
    expect(empty.json).toMatchObject({ response_action: 'errors' });
    await h.sender.viewSubmission({
      userId: PEOPLE.approver1,
      callbackId: 'reject_modal',
      viewId: view.id,
      values: { reject_reason: { reason: { type: 'plain_text_input', value: 'Wrong <!channel> amount' } } },
    });
    await waitForState(h, requestId, ['rejected']);
    const shown = await h.slack.waitFor(() =>
      messageText(approvalMessageNow(h, message.ts)).includes('Rejected')
        ? approvalMessageNow(h, message.ts)
        : undefined,
    );
    expect(messageText(shown)).toContain('Wrong &lt;!channel&gt; amount');
    await h.slack.waitFor(() => h.slack.messages(PEOPLE.requester).find((m) => m.text?.includes('Rejected')));
  });

  it('when a description holds mentions or markup, then it shows as text and pings nobody', async () => {
    const { message } = await requestViaSlack(h, `transfer ${seller} 1.00 eur <!channel> hi <@U999> & <b>`);
    const text = messageText(message);
    expect(text).toContain('&lt;!channel&gt; hi &lt;@U999&gt; &amp; &lt;b&gt;');
    expect(text).not.toContain('<!channel>');
  });
});

describe('requests that are refused before anything is stored', () => {
  const refusals: [string, RegExp][] = [
    [`transfer ${seller} -5 eur`, /must be positive/],
    [`transfer ${seller} 0 eur`, /greater than zero/],
    [`transfer ${seller} 10.999 eur`, /10\.999 has 3 decimals but EUR has 2: did you mean €10,999\.00\?/],
    [`transfer ${seller} 10 eurx`, /not an ISO currency/],
    [`transfer ${seller} 10 gbp`, /holds no GBP balance/],
    [`transfer ${seller} 20000 eur`, /most a single request may be is €10,000.00/],
    [`transfer <@${PEOPLE.seller2}|bo> 10 eur`, /not a seller yet/],
    [`transfer ${seller}`, /Give an amount and a currency/],
    ['topup 100 eur', /platform's own currency \(USD\)/],
  ];
  for (const [text, reply] of refusals) {
    it(`when "/payout ${text}" is typed, then the reply says why and nothing is requested`, async () => {
      const posted = h.slack.messages(CHANNELS.approvals).length;
      const replied = h.slack.ephemerals(PEOPLE.requester).length;
      await h.sender.slashCommand({ text, userId: PEOPLE.requester });
      // Among the replies since: the previous test's "Asked for approval" may land after this one under load.
      await h.slack.waitFor(() =>
        h.slack
          .ephemerals(PEOPLE.requester)
          .slice(replied)
          .some((e) => reply.test(e.text ?? '')),
      );
      expect(h.slack.messages(CHANNELS.approvals)).toHaveLength(posted);
    });
  }

  it('when someone outside PAYOUT_REQUESTERS asks for a transfer, then nothing is stored', async () => {
    const open = await h.bot.deps.redis.zcard('{payout}:requests:open');
    await h.sender.slashCommand({ text: `transfer ${seller} 10 eur`, userId: PEOPLE.outsider });
    await h.slack.waitFor(() => repliedWith(PEOPLE.outsider, 'not on the list'));
    expect(await h.bot.deps.redis.zcard('{payout}:requests:open')).toBe(open);
  });
});

describe('Slack deliveries', () => {
  it('when the same slash command is delivered twice, then one request is made; typed twice, two', async () => {
    const posted = () => h.slack.messages(CHANNELS.approvals).length;
    const before = posted();
    await h.sender.slashCommand({
      text: `transfer ${seller} 3.00 eur`,
      userId: PEOPLE.requester,
      triggerId: 'trigger-1',
    });
    await h.sender.slashCommand({
      text: `transfer ${seller} 3.00 eur`,
      userId: PEOPLE.requester,
      triggerId: 'trigger-1',
    });
    await h.slack.waitFor(() => posted() === before + 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(posted()).toBe(before + 1);
    await h.sender.slashCommand({ text: `transfer ${seller} 3.00 eur`, userId: PEOPLE.requester });
    await h.sender.slashCommand({ text: `transfer ${seller} 3.00 eur`, userId: PEOPLE.requester });
    await h.slack.waitFor(() => posted() === before + 3);
  });

  it('when transfer has no arguments, then a modal opens and validates in place', async () => {
    await h.sender.slashCommand({ text: 'transfer', userId: PEOPLE.requester });
    const view = await h.slack.waitFor(() => h.slack.views().find((v) => v.callback_id === 'transfer_modal'));
    const options = await h.sender.blockSuggestion({
      userId: PEOPLE.requester,
      actionId: 'seller_picker',
      blockId: 'money_seller',
      value: 'sel',
      viewCallbackId: 'transfer_modal',
    });
    expect(JSON.stringify(options.json)).toContain(PEOPLE.seller1);
    const bad = await h.sender.viewSubmission({
      userId: PEOPLE.requester,
      callbackId: 'transfer_modal',
      viewId: view.id,
      values: {
        money_seller: { seller_picker: { type: 'external_select', selected_option: { value: PEOPLE.seller2 } } },
        money_amount: { amount: { type: 'plain_text_input', value: '-3' } },
        money_currency: { currency: { type: 'plain_text_input', value: 'eur' } },
        money_description: { description: { type: 'plain_text_input', value: '' } },
      },
    });
    expect(bad.json).toMatchObject({
      response_action: 'errors',
      errors: { money_seller: expect.any(String), money_amount: expect.stringMatching(/positive/) },
    });
    const posted = h.slack.messages(CHANNELS.approvals).length;
    const good = await h.sender.viewSubmission({
      userId: PEOPLE.requester,
      callbackId: 'transfer_modal',
      viewId: view.id,
      values: {
        money_seller: { seller_picker: { type: 'external_select', selected_option: { value: PEOPLE.seller1 } } },
        money_amount: { amount: { type: 'plain_text_input', value: '12.50' } },
        money_currency: { currency: { type: 'plain_text_input', value: 'EUR' } },
        money_description: { description: { type: 'plain_text_input', value: 'from the modal' } },
      },
    });
    expect(good.status).toBe(200);
    const message = await h.slack.waitFor(() => h.slack.messages(CHANNELS.approvals)[posted]);
    expect(messageText(message)).toContain('€12.50');
  });
});

describe('top-ups, balance and audit', () => {
  it('when a top-up is approved, then Stripe creates it, and its settlement later updates the message and ops', async () => {
    const { message, requestId } = await requestViaSlack(h, 'topup 2000.00 usd Top-up for week of May 31');
    await clickApprove(h, message, requestId, PEOPLE.approver1);
    await clickApprove(h, message, requestId, PEOPLE.approver2);
    const request = await waitForState(h, requestId, ['completed']);
    const topup = h.stripe.control.topups().find((t) => t.id === request.stripeId)!;
    expect(topup).toMatchObject({
      amount: 200_000,
      currency: 'usd',
      status: 'pending',
      description: 'Top-up for week of May 31',
    });
    await h.stripe.control.settleTopup(topup.id, 'succeeded');
    await h.slack.waitFor(() =>
      h.slack.messages(CHANNELS.ops).find((m) => m.text?.includes('Top-up settled') && m.text.includes(requestId)),
    );
    await h.slack.waitFor(() => messageText(approvalMessageNow(h, message.ts)).includes('Top-up settled'));
    expect((await h.bot.deps.requests.get(requestId))?.settlement).toBe('succeeded');
  });

  it('shows the balance per currency to staff', async () => {
    await h.sender.slashCommand({ text: 'balance', userId: PEOPLE.approver2 });
    const reply = await h.slack.waitFor(() =>
      h.slack.ephemerals(PEOPLE.approver2).find((e) => messageText(e).includes('Platform balance')),
    );
    expect(messageText(reply)).toMatch(/\*EUR\*: €[\d,.]+ available/);
  });

  it('keeps an append-only audit log that staff can read and export as CSV', async () => {
    await h.sender.slashCommand({ text: 'audit 5', userId: PEOPLE.approver2 });
    const reply = await h.slack.waitFor(() =>
      h.slack.ephemerals(PEOPLE.approver2).find((e) => messageText(e).includes('Audit log')),
    );
    expect(messageText(reply)).toMatch(/request\.(completed|approval|succeeded)/);
    await h.sender.slashCommand({ text: 'audit export', userId: PEOPLE.approver2 });
    const file = await h.slack.waitFor(() => h.slack.files().find((f) => f.filename?.endsWith('.csv')));
    expect(String(file.content)).toMatch(
      /^time,actor,action,payout_ref,subject,kind,payee,account,amount,currency,amount_minor,state,stripe_id,detail\n/,
    );
    expect(String(file.content)).toContain('transfer.requested');
    await h.sender.slashCommand({ text: 'audit', userId: PEOPLE.outsider });
    await h.slack.waitFor(() => repliedWith(PEOPLE.outsider, 'only payout requesters and approvers'));
  });
});
