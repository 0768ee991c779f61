import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, type Harness, messageText, PEOPLE, startHarness } from '../../emulators/local-stack.js';
import { eventually } from '../support/eventually.js';
import { onboardPayableSeller } from '../support/onboarding.js';
import { approvalMessageNow, clickApprove, requestViaSlack, waitForState } from '../support/requests.js';

let h: Harness;

beforeAll(async () => {
  // €100 a day to any one seller: a run paying one of its sellers more than that has one line held.
  h = await startHarness({ env: { VELOCITY_DAILY_PER_SELLER: 'eur:100', LOG_LEVEL: 'warn' } });
  await onboardPayableSeller(h, PEOPLE.seller1);
  await onboardPayableSeller(h, PEOPLE.seller2);
});
afterAll(async () => {
  await h?.stop();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const transfersOf = (group: string) => h.stripe.control.transfers().filter((t) => t.transfer_group === group);
/** The ops channel's daily-limit notice for this kind of payment, and the reference it names. */
async function limitNotice(prefix: 'pay_rl.' | 'pay_rq.') {
  const notice = await h.slack.waitFor(
    () =>
      h.slack
        .messages(CHANNELS.ops)
        .find((m) => messageText(m).includes('Daily limit reached') && messageText(m).includes(`\`${prefix}`)),
    { timeoutMs: 15_000 },
  );
  return { notice, payoutRef: new RegExp(`\`(${prefix.replace('.', '\\.')}[^\`]+)\``).exec(messageText(notice))![1]! };
}

/** Every element of a view's blocks: actions blocks' elements and section accessories. */
const elementsOf = (blocks: unknown[] | undefined) =>
  ((blocks ?? []) as { type: string; elements?: HomeElement[]; accessory?: HomeElement }[]).flatMap((b) => [
    ...(b.type === 'actions' ? (b.elements ?? []) : []),
    ...(b.accessory ? [b.accessory] : []),
  ]);
type HomeElement = { action_id?: string; value?: string; confirm?: { text: { text: string } } };

async function openHome(userId: string, until: (text: string) => boolean) {
  expect((await h.sender.appHomeOpened({ userId })).status).toBe(200);
  return h.slack.waitFor(() => {
    const view = h.slack.homeView(userId);
    return view && until(messageText(view)) ? view : undefined;
  });
}

describe('payments a daily limit holds', () => {
  it('when a run line is held by the daily limit per seller and two approvers override it, then that line is paid exactly once today and the rest of the run is paid as usual', async () => {
    const before = h.slack.views().length;
    await h.sender.slashCommand({ text: 'run csv', userId: PEOPLE.requester, channelId: CHANNELS.general });
    const view = await h.slack.waitFor(() =>
      h.slack
        .views()
        .slice(before)
        .find((v) => v.callback_id === 'run_csv_modal'),
    );
    // seller1: €60 and €70 (€130 would pass their €100 a day); seller2: €20 and €30.
    const csv = [
      `${PEOPLE.seller1},60.00,eur,first`,
      `${PEOPLE.seller1},70.00,eur,second`,
      `${PEOPLE.seller2},20.00,eur,third`,
      `${PEOPLE.seller2},30.00,eur,fourth`,
    ].join('\n');
    const posted = h.slack.messages(CHANNELS.approvals).length;
    await h.sender.viewSubmission({
      userId: PEOPLE.requester,
      callbackId: 'run_csv_modal',
      viewId: view.id,
      values: { csv_text: { text: { type: 'plain_text_input', value: csv } } },
    });
    const card = await h.slack.waitFor(() => h.slack.messages(CHANNELS.approvals)[posted]);
    const runRequestId = /Request `(req_\w+)`/.exec(messageText(card))![1]!;
    await clickApprove(h, card, runRequestId, PEOPLE.approver1);

    const { notice, payoutRef } = await limitNotice('pay_rl.');
    const runId = payoutRef.split('.')[1]!;
    const runTransfers = () =>
      h.stripe.control.transfers().filter((t) => t.transfer_group?.startsWith(`pay_rl.${runId}.`));
    await eventually(async () => runTransfers().length === 3 || undefined, {
      timeoutMs: 15_000,
      what: 'the other three lines paid',
    });
    // seller1's lines go out in any order: whichever comes second is held.
    const paid = runTransfers().map((t) => t.amount);
    const heldAmount = paid.includes(60_00) ? 70_00 : 60_00;
    expect(paid.sort((a, b) => a - b)).toEqual([20_00, 30_00, 130_00 - heldAmount].sort((a, b) => a - b));
    expect(messageText(notice)).toContain(`€${heldAmount / 100}.00`);
    expect(transfersOf(payoutRef)).toHaveLength(0);
    expect((await h.bot.deps.runs.get(runId))?.status).not.toBe('done');
    expect(messageText(await openHome(PEOPLE.approver2, (text) => text.includes(payoutRef)))).toContain(
      `*€${heldAmount / 100}.00* to <@${PEOPLE.seller1}>`,
    );

    // The requester asks from the ops notice; one approval is not enough.
    const asked = h.slack.messages(CHANNELS.approvals).length;
    await h.sender.blockAction({
      userId: PEOPLE.requester,
      actionId: 'limit_override',
      value: payoutRef,
      channelId: CHANNELS.ops,
      messageTs: notice.ts,
    });
    const overrideCard = await h.slack.waitFor(() =>
      h.slack
        .messages(CHANNELS.approvals)
        .slice(asked)
        .find((m) => messageText(m).includes('Override the daily limit')),
    );
    const overrideId = /Request `(req_\w+)`/.exec(messageText(overrideCard))![1]!;
    await clickApprove(h, overrideCard, overrideId, PEOPLE.approver1);
    await waitForState(h, overrideId, ['pending']);
    await pause(1_500);
    expect(transfersOf(payoutRef)).toHaveLength(0);

    await clickApprove(h, overrideCard, overrideId, PEOPLE.approver2);
    await waitForState(h, overrideId, ['completed']);
    await eventually(async () => (await h.bot.deps.runs.get(runId))?.status === 'done' || undefined, {
      timeoutMs: 15_000,
      what: 'run done',
    });
    await pause(1_500);
    expect(transfersOf(payoutRef)).toHaveLength(1);
    expect(transfersOf(payoutRef)[0]!.amount).toBe(heldAmount);
    const transfers = runTransfers();
    expect(transfers).toHaveLength(4);
    expect(new Set(transfers.map((t) => t.transfer_group)).size).toBe(4);
    expect(transfers.reduce((sum, t) => sum + t.amount, 0)).toBe(180_00);
    // Paid, it is no longer listed as held.
    await openHome(PEOPLE.approver2, (text) => text.includes('Waiting for you') && !text.includes(payoutRef));
  }, 60_000);

  it('when a payment waits on the daily limit, then the approver\'s Home tab lists it (reference, seller, amount, which limit) with "Override the daily limit", which asks two approvers from there and nowhere else', async () => {
    const transfer = await requestViaSlack(h, `transfer <@${PEOPLE.seller1}|ana> 50.00 eur over the limit`);
    await clickApprove(h, transfer.message, transfer.requestId, PEOPLE.approver1);
    const payoutRef = `pay_rq.${transfer.requestId}`;
    await h.slack.waitFor(
      () =>
        messageText(approvalMessageNow(h, transfer.message.ts)).includes('waiting for the daily limit') || undefined,
      { timeoutMs: 15_000 },
    );

    const home = await openHome(PEOPLE.approver2, (text) => text.includes(payoutRef));
    const text = messageText(home);
    expect(text).toContain('Held by a daily limit');
    expect(text).toContain(`*€50.00* to <@${PEOPLE.seller1}>`);
    expect(text).toContain('held by the daily limit per seller of €100.00');
    const override = elementsOf(home.blocks).find((e) => e.action_id === 'limit_override' && e.value === payoutRef);
    expect(override?.confirm?.text.text).toContain(`€50.00 (${payoutRef})`);
    // A requester's tab has no such list.
    expect(messageText(await openHome(PEOPLE.requester, (t) => t.includes('My requests')))).not.toContain(
      'Held by a daily limit',
    );

    // The same button sent from elsewhere changes nothing.
    const cards = h.slack.messages(CHANNELS.approvals).length;
    await h.sender.blockAction({
      userId: PEOPLE.approver2,
      actionId: 'limit_override',
      value: payoutRef,
      channelId: CHANNELS.general,
    });
    await h.slack.waitFor(() =>
      h.slack
        .ephemerals(PEOPLE.approver2)
        .find((e) => messageText(e).includes('counts only in the ops channel or on your Home tab')),
    );
    await pause(500);
    expect(h.slack.messages(CHANNELS.approvals)).toHaveLength(cards);

    await h.sender.blockAction({
      userId: PEOPLE.approver2,
      actionId: 'limit_override',
      value: payoutRef,
      viewId: home.id,
    });
    const overrideCard = await h.slack.waitFor(() =>
      h.slack
        .messages(CHANNELS.approvals)
        .slice(cards)
        .find((m) => messageText(m).includes('Override the daily limit')),
    );
    expect(messageText(overrideCard)).toContain(payoutRef);
    const overrideId = /Request `(req_\w+)`/.exec(messageText(overrideCard))![1]!;
    expect(await h.bot.deps.requests.get(overrideId)).toMatchObject({
      kind: 'override',
      requestedBy: PEOPLE.approver2,
      requiredApprovals: 2,
      state: 'pending',
    });
    await h.slack.waitFor(
      () =>
        h.slack.messages(`D${PEOPLE.approver2}`).find((m) => messageText(m).includes('Asked two approvers')) ??
        h.slack.ephemerals(PEOPLE.approver2).find((e) => messageText(e).includes('Asked two approvers')),
    );
    expect(transfersOf(payoutRef)).toHaveLength(0);
  }, 60_000);
});
