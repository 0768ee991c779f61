import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, type Harness, messageText, PEOPLE, startHarness } from '../../emulators/local-stack.js';
import { onboardPayableSeller } from '../support/onboarding.js';
import { approvalMessageNow, clickApprove, requestViaSlack, waitForState } from '../support/requests.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: { LOG_LEVEL: 'warn' } });
  await onboardPayableSeller(h, PEOPLE.seller1);
  await onboardPayableSeller(h, PEOPLE.seller2);
});
afterAll(async () => {
  await h?.stop();
});

const dmText = (userId: string) => h.slack.messages(`D${userId}`).map(messageText).join('\n');

describe('cards that tell the whole story', () => {
  it('when a CSV run pays 2 sellers in 12 payments, then its card says so and lists the first 10 lines, then "…and 2 more"', async () => {
    await h.sender.slashCommand({ text: 'run csv', userId: PEOPLE.requester, channelId: CHANNELS.general });
    const view = await h.slack.waitFor(() => h.slack.views().find((v) => v.callback_id === 'run_csv_modal'));
    const csv = Array.from(
      { length: 12 },
      (_, i) => `${i % 2 ? PEOPLE.seller2 : PEOPLE.seller1},${i + 1}.00,eur,line ${i + 1}`,
    ).join('\n');
    const before = h.slack.messages(CHANNELS.approvals).length;
    await h.sender.viewSubmission({
      userId: PEOPLE.requester,
      callbackId: 'run_csv_modal',
      viewId: view.id,
      values: { csv_text: { text: { type: 'plain_text_input', value: csv } } },
    });
    const card = messageText(await h.slack.waitFor(() => h.slack.messages(CHANNELS.approvals)[before]));
    expect(card).toContain('pay 2 sellers in 12 payments');
    expect(card).toContain('Who gets what');
    expect(card).toContain(`• <@${PEOPLE.seller1}> €1.00 · line 1`);
    expect(card).toContain(`• <@${PEOPLE.seller2}> €10.00 · line 10`);
    expect(card).not.toContain('line 11');
    expect(card).toContain('…and 2 more');
  });

  it('when a CSV run of 12 lines is approved, then its progress card and its final card still say who gets what (10 lines, then "…and 2 more"), who asked and who approved', async () => {
    const before = h.slack.views().length;
    await h.sender.slashCommand({ text: 'run csv', userId: PEOPLE.requester, channelId: CHANNELS.general });
    const view = await h.slack.waitFor(() =>
      h.slack
        .views()
        .slice(before)
        .find((v) => v.callback_id === 'run_csv_modal'),
    );
    const csv = Array.from(
      { length: 12 },
      (_, i) => `${i % 2 ? PEOPLE.seller2 : PEOPLE.seller1},${i + 1}.50,eur,paid ${i + 1}`,
    ).join('\n');
    const posted = h.slack.messages(CHANNELS.approvals).length;
    await h.sender.viewSubmission({
      userId: PEOPLE.requester,
      callbackId: 'run_csv_modal',
      viewId: view.id,
      values: { csv_text: { text: { type: 'plain_text_input', value: csv } } },
    });
    const message = await h.slack.waitFor(() => h.slack.messages(CHANNELS.approvals)[posted]);
    const requestId = /Request `(req_\w+)`/.exec(messageText(message))![1]!;
    await clickApprove(h, message, requestId, PEOPLE.approver1);
    const final = await h.slack.waitFor(
      () => {
        const text = messageText(approvalMessageNow(h, message.ts));
        return text.includes('Finished') ? text : undefined;
      },
      { timeoutMs: 15_000 },
    );
    // Every chat.update of this message: the cards while lines were paid, and the last.
    const updates = h.slack
      .callsTo('chat.update')
      .filter((c) => c.args.ts === message.ts)
      .map((c) => JSON.stringify(c.args.blocks));
    const progress = updates.filter((blocks) => blocks.includes('Run `') && !blocks.includes('Finished'));
    expect(progress.length).toBeGreaterThan(0);
    for (const text of [...progress, final]) {
      expect(text).toContain('Who gets what');
      expect(text).toContain(`• <@${PEOPLE.seller1}> €1.50 · paid 1`);
      expect(text).toContain(`• <@${PEOPLE.seller2}> €10.50 · paid 10`);
      expect(text).not.toContain('paid 11');
      expect(text).toContain('…and 2 more');
      expect(text).toContain(`Requested by <@${PEOPLE.requester}> · approved by <@${PEOPLE.approver1}>`);
    }
  });

  it('when a plan amount is changed, then the card shows the amount it replaces, and once approved says what was done and by whom', async () => {
    const first = await requestViaSlack(h, `plan <@${PEOPLE.seller1}|ana> 300.00 eur`);
    expect(messageText(first.message)).not.toContain('was ');
    await clickApprove(h, first.message, first.requestId, PEOPLE.approver1);
    await waitForState(h, first.requestId, ['completed']);

    const change = await requestViaSlack(h, `plan <@${PEOPLE.seller1}|ana> 350.00 eur`);
    expect(messageText(change.message)).toContain('€350.00 (was €300.00)');
    await clickApprove(h, change.message, change.requestId, PEOPLE.approver1);
    await waitForState(h, change.requestId, ['completed']);
    const done = await h.slack.waitFor(() => {
      const text = messageText(approvalMessageNow(h, change.message.ts));
      return text.includes('*Done*') ? text : undefined;
    });
    expect(done).toContain(
      `<@${PEOPLE.seller1}> gets €350.00 in every payout run (was €300.00) · approved by <@${PEOPLE.approver1}>`,
    );
    expect(done).not.toContain('`plan ');
  });

  it('when a transfer needs two approvers, then Approve asks first and names the seller by their name, not by user id (a confirm is plain text)', async () => {
    const { message } = await requestViaSlack(h, `transfer <@${PEOPLE.seller1}|ana> 1000 eur two approvers`);
    const approve = (
      message.blocks as { type: string; elements?: { action_id?: string; confirm?: { text: { text: string } } }[] }[]
    )
      .flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []))
      .find((e) => e.action_id === 'request_approve');
    expect(approve?.confirm?.text.text).toBe('€1,000.00 to seller1: your approval is one of 2.');
  });

  it("when a top-up settles, then its card still says who approved it, and the requester's DM links to the approval message", async () => {
    const topup = await requestViaSlack(h, 'topup 40 usd');
    await clickApprove(h, topup.message, topup.requestId, PEOPLE.approver2);
    const done = await waitForState(h, topup.requestId, ['completed']);
    await h.stripe.control.settleTopup(done.stripeId!, 'succeeded');
    const settled = await h.slack.waitFor(() => {
      const text = messageText(approvalMessageNow(h, topup.message.ts));
      return text.includes('Top-up settled') ? text : undefined;
    });
    expect(settled).toContain(`approved by <@${PEOPLE.approver2}>`);
    const link = `https://fake-team.slack.com/archives/${CHANNELS.approvals}/p${topup.message.ts.replace('.', '')}`;
    await h.slack.waitFor(
      () => dmText(PEOPLE.requester).includes(`${topup.requestId}`) && dmText(PEOPLE.requester).includes(link),
    );
  });

  it('when a requester invites a seller by command, then the only reply is the outcome, with no "Inviting…" left behind', async () => {
    const before = h.slack.ephemerals(PEOPLE.requester).length;
    await h.sender.slashCommand({
      text: `invite <@${PEOPLE.outsider}|olga>`,
      userId: PEOPLE.requester,
      channelId: CHANNELS.general,
    });
    await h.slack.waitFor(() =>
      h.slack
        .ephemerals(PEOPLE.requester)
        .slice(before)
        .find((e) => messageText(e).includes('Invited')),
    );
    expect(
      h.slack
        .ephemerals(PEOPLE.requester)
        .slice(before)
        .map(messageText)
        .filter((t) => t.includes('Inviting')),
    ).toEqual([]);
  });
});
