import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, type Harness, messageText, PEOPLE, startHarness } from '../../emulators/local-stack.js';
import { onboardPayableSeller } from '../support/onboarding.js';
import { approvalMessageNow, requestViaSlack, waitForState } from '../support/requests.js';

let h: Harness;

beforeAll(async () => {
  // approver1 is also a requester: the person the self-approval rule is about.
  h = await startHarness({ env: { PAYOUT_REQUESTERS: `${PEOPLE.requester},${PEOPLE.approver1}`, LOG_LEVEL: 'warn' } });
  await onboardPayableSeller(h);
});
afterAll(async () => {
  await h?.stop();
});

/** The buttons of a Home tab, as action id and value. */
const buttonsOf = (blocks: unknown[] | undefined) =>
  (
    (blocks ?? []) as { type: string; elements?: { action_id?: string; value?: string; confirm?: unknown }[] }[]
  ).flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));

async function openHome(userId: string, contains: string) {
  const res = await h.sender.appHomeOpened({ userId });
  expect(res.status).toBe(200);
  return h.slack.waitFor(() => {
    const view = h.slack.homeView(userId);
    return view && messageText(view).includes(contains) ? view : undefined;
  });
}

describe('the App Home tab', () => {
  it("when an approver opens the Home tab, then both pending requests wait there with buttons; approving from it pays once and updates the channel's message", async () => {
    const first = await requestViaSlack(h, `transfer <@${PEOPLE.seller1}|ana> 12.00 eur first`);
    const second = await requestViaSlack(h, `transfer <@${PEOPLE.seller1}|ana> 13.00 eur second`);
    const home = await openHome(PEOPLE.approver2, second.requestId);
    const buttons = buttonsOf(home.blocks);
    for (const { requestId } of [first, second]) {
      expect(buttons.filter((b) => b.value === requestId).map((b) => b.action_id)).toEqual([
        'waiting_approve',
        'waiting_reject',
      ]);
    }
    expect(messageText(home)).toContain('Nothing is frozen');

    const res = await h.sender.blockAction({
      userId: PEOPLE.approver2,
      actionId: 'waiting_approve',
      value: first.requestId,
      viewId: home.id,
    });
    expect(res.status).toBe(200);
    await waitForState(h, first.requestId, ['completed']);
    expect(h.stripe.control.transfers().filter((t) => t.transfer_group === `pay_rq.${first.requestId}`)).toHaveLength(
      1,
    );
    await h.slack.waitFor(() => messageText(approvalMessageNow(h, first.message.ts)).includes('Paid') || undefined);
    expect(buttonsOf(approvalMessageNow(h, first.message.ts)?.blocks)).toHaveLength(0);
    // The tab is published again without the decided request.
    await h.slack.waitFor(() => {
      const view = h.slack.homeView(PEOPLE.approver2);
      return view && !messageText(view).includes(first.requestId) && messageText(view).includes(second.requestId)
        ? view
        : undefined;
    });
  });

  it('when a person who is both requester and approver opens the Home tab, then their own request is under My requests, not waiting for them, and a click on it changes nothing', async () => {
    const own = await requestViaSlack(h, `transfer <@${PEOPLE.seller1}|ana> 14.00 eur mine`, PEOPLE.approver1);
    const home = await openHome(PEOPLE.approver1, 'My requests');
    expect(messageText(home)).toContain(own.requestId);
    expect(buttonsOf(home.blocks).some((b) => b.value === own.requestId)).toBe(false);

    await h.sender.blockAction({
      userId: PEOPLE.approver1,
      actionId: 'waiting_approve',
      value: own.requestId,
      viewId: home.id,
    });
    await h.slack.waitFor(() =>
      h.slack.ephemerals(PEOPLE.approver1).find((e) => messageText(e).includes('You asked for this one')),
    );
    expect(await h.bot.deps.requests.get(own.requestId)).toMatchObject({ state: 'pending', approvals: [] });
  });

  it('when an approver types /payout pending, then the same list comes as an ephemeral with the buttons', async () => {
    await h.sender.slashCommand({ text: 'pending', userId: PEOPLE.approver2, channelId: CHANNELS.general });
    const reply = await h.slack.waitFor(() =>
      h.slack.ephemerals(PEOPLE.approver2).find((e) => messageText(e).includes('Waiting for you')),
    );
    expect(buttonsOf(reply.blocks).map((b) => b.action_id)).toContain('waiting_approve');
  });

  it('when a requester picks the "Request a transfer" shortcut, then the transfer modal opens; someone who may not request is told so instead', async () => {
    const before = h.slack.views().length;
    expect((await h.sender.shortcut({ userId: PEOPLE.requester, callbackId: 'payout_request_transfer' })).status).toBe(
      200,
    );
    await h.slack.waitFor(() =>
      h.slack
        .views()
        .slice(before)
        .find((v) => v.callback_id === 'transfer_modal'),
    );
    await h.sender.shortcut({ userId: PEOPLE.outsider, callbackId: 'payout_request_topup' });
    await h.slack.waitFor(() =>
      h.slack
        .ephemerals(PEOPLE.outsider)
        .find((e) => messageText(e).includes('not on the list of people who may request payouts')),
    );
    expect(
      h.slack
        .views()
        .slice(before)
        .filter((v) => v.callback_id === 'topup_modal'),
    ).toHaveLength(0);
  });

  it('when an approver presses "Freeze all payouts" on their Home tab and says why, then everything is frozen, audited, told, and the tab shows it; a non-approver\'s click is refused politely', async () => {
    const home = await openHome(PEOPLE.approver2, 'Nothing is frozen');
    const freezeButton = buttonsOf(home.blocks).find((b) => b.action_id === 'home_freeze');
    expect(freezeButton?.confirm).toBeDefined();
    const mine = await openHome(PEOPLE.requester, 'My requests');
    expect(buttonsOf(mine.blocks).some((b) => b.action_id === 'home_freeze')).toBe(false);

    // A requester sends the click anyway: they are told, nothing changes.
    let before = h.slack.views().length;
    await h.sender.blockAction({ userId: PEOPLE.requester, actionId: 'home_freeze', value: 'all', viewId: mine.id });
    const refusal = await h.slack.waitFor(() =>
      h.slack
        .views()
        .slice(before)
        .find((v) => messageText(v).includes('only approvers can freeze')),
    );
    expect(refusal.callback_id ?? '').not.toBe('freeze_modal');
    expect(await h.bot.deps.freezes.list()).toHaveLength(0);

    before = h.slack.views().length;
    await h.sender.blockAction({ userId: PEOPLE.approver2, actionId: 'home_freeze', value: 'all', viewId: home.id });
    const modal = await h.slack.waitFor(() =>
      h.slack
        .views()
        .slice(before)
        .find((v) => v.callback_id === 'freeze_modal'),
    );
    const empty = await h.sender.viewSubmission({
      userId: PEOPLE.approver2,
      callbackId: 'freeze_modal',
      viewId: modal.id,
      values: { freeze_reason: { reason: { type: 'plain_text_input', value: '  ' } } },
    });
    expect(JSON.parse(empty.body)).toMatchObject({
      response_action: 'errors',
      errors: { freeze_reason: expect.stringContaining('Say why') },
    });
    const res = await h.sender.viewSubmission({
      userId: PEOPLE.approver2,
      callbackId: 'freeze_modal',
      viewId: modal.id,
      values: { freeze_reason: { reason: { type: 'plain_text_input', value: 'card testing seen' } } },
    });
    expect(res.status).toBe(200);

    expect(await h.bot.deps.freezes.list()).toMatchObject([
      { scope: { kind: 'all' }, by: PEOPLE.approver2, reason: 'card testing seen' },
    ]);
    for (const channel of [CHANNELS.ops, CHANNELS.approvals]) {
      await h.slack.waitFor(() =>
        h.slack
          .messages(channel)
          .find((m) => messageText(m).includes('Frozen: all payouts') && messageText(m).includes('card testing seen')),
      );
    }
    expect(
      (await h.bot.deps.audit.latest(20)).some((e) => e.action === 'freeze.on' && e.actor === PEOPLE.approver2),
    ).toBe(true);
    const after = await h.slack.waitFor(() => {
      const view = h.slack.homeView(PEOPLE.approver2);
      return view && messageText(view).includes('Frozen: all payouts') ? view : undefined;
    });
    expect(buttonsOf(after.blocks).some((b) => b.action_id === 'home_freeze')).toBe(false);
  });
});
