import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, type Harness, messageText, PEOPLE, startHarness } from '../../emulators/local-stack.js';
import type { OpenView } from '../../emulators/slack/fake-slack.js';
import type { BlockActionParams } from '../../emulators/slack/signed-requests.js';
import { eventually } from '../support/eventually.js';
import { onboardPayableSeller } from '../support/onboarding.js';
import { clickApprove, requestViaSlack, waitForState } from '../support/requests.js';
import { launchRun } from '../support/runs.js';

let h: Harness;
let sellerAccount: string;

beforeAll(async () => {
  h = await startHarness({ env: { SLACK_APP_ID: 'A0APP' } });
  sellerAccount = await onboardPayableSeller(h);
  // approver2 also sells on the marketplace.
  await onboardPayableSeller(h, PEOPLE.approver2);
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

/** Long enough for a second request, had one been made, to reach the fake Slack. */
const settle = () => new Promise((r) => setTimeout(r, 400));
const approvalCount = () => h.slack.messages(CHANNELS.approvals).length;
const text = (value: string) => ({ type: 'plain_text_input', value });

async function openModal(command: string, callbackId: string, userId: string = PEOPLE.requester): Promise<OpenView> {
  const before = h.slack.views().length;
  await h.sender.slashCommand({ text: command, userId, channelId: CHANNELS.general });
  return h.slack.waitFor(() =>
    h.slack
      .views()
      .slice(before)
      .find((v) => v.callback_id === callbackId),
  );
}

async function openRejectModal(): Promise<OpenView> {
  const { message, requestId } = await requestViaSlack(h, `transfer <@${PEOPLE.seller1}|ana> 2.00 eur`);
  await h.sender.blockAction({
    userId: PEOPLE.approver1,
    actionId: 'request_reject',
    value: requestId,
    channelId: CHANNELS.approvals,
    messageTs: message.ts,
  });
  return h.slack.waitFor(() =>
    h.slack.views().find((v) => v.callback_id === 'reject_modal' && v.private_metadata.includes(requestId)),
  );
}

interface Submission {
  modal: string;
  userId: string;
  open(): Promise<OpenView>;
  values: Record<string, Record<string, unknown>>;
  /** How many of what this modal makes exist now. */
  made(): number;
}

describe('one submission is one request', () => {
  const SUBMISSIONS: Submission[] = [
    {
      modal: 'top-up',
      userId: PEOPLE.requester,
      open: () => openModal('topup', 'topup_modal'),
      values: {
        money_amount: { amount: text('100.00') },
        money_currency: { currency: text('usd') },
        money_description: { description: text('') },
        money_statement_descriptor: { statement_descriptor: text('') },
      },
      made: approvalCount,
    },
    {
      modal: 'transfer',
      userId: PEOPLE.requester,
      open: () => openModal('transfer', 'transfer_modal'),
      values: {
        money_seller: { seller_picker: { type: 'external_select', selected_option: { value: PEOPLE.seller1 } } },
        money_amount: { amount: text('6.00') },
        money_currency: { currency: text('eur') },
        money_description: { description: text('') },
      },
      made: approvalCount,
    },
    {
      modal: 'schedule',
      userId: PEOPLE.requester,
      open: () => openModal('schedule', 'schedule_modal'),
      values: {
        schedule_action: { action: { type: 'static_select', selected_option: { value: 'topup' } } },
        schedule_when: { when: text('daily 06:00 Asia/Tokyo') },
        money_amount: { amount: text('140 usd') },
        money_description: { description: text('') },
      },
      made: approvalCount,
    },
    {
      modal: 'CSV run',
      userId: PEOPLE.requester,
      open: () => openModal('run csv', 'run_csv_modal'),
      values: { csv_text: { text: text(`<@${PEOPLE.seller1}|ana>,4.00,eur,once`) } },
      made: approvalCount,
    },
    {
      modal: 'invite',
      userId: PEOPLE.requester,
      open: () => openModal('invite', 'invite_modal'),
      values: {
        invite_user: { user: { type: 'users_select', selected_user: PEOPLE.seller2 } },
        invite_email: { email: { type: 'email_text_input', value: '' } },
        invite_country: { country: text('') },
      },
      made: () => h.slack.messages(PEOPLE.seller2).length,
    },
    {
      modal: 'reject reason',
      userId: PEOPLE.approver1,
      open: openRejectModal,
      values: { reject_reason: { reason: text('not this week') } },
      made: () => h.slack.messages(PEOPLE.requester).filter((m) => m.text?.includes('Rejected')).length,
    },
  ];

  it.each(SUBMISSIONS)(
    'when the $modal modal is delivered twice and then submitted again, then one thing is made and the repeats are told so',
    async ({ userId, open, values, made }) => {
      const view = await open();
      const before = made();
      const submit = () => h.sender.viewSubmission({ userId, callbackId: view.callback_id, viewId: view.id, values });
      // Slack re-delivers a submission it did not see acknowledged in time, while the first is still being handled.
      const answers = await Promise.all([submit(), submit()]);
      answers.push(await submit());
      await h.slack.waitFor(() => made() > before);
      await settle();
      expect(made()).toBe(before + 1);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      const repeats = answers.filter((a) => a.json !== undefined);
      expect(repeats).toHaveLength(2);
      for (const repeat of repeats) {
        expect(repeat.json).toMatchObject({ response_action: 'update', view: { type: 'modal' } });
        expect(JSON.stringify(repeat.json)).toContain('already received');
      }
    },
  );
});

describe('modals used from another workspace', () => {
  it('when the top-up modal is submitted from another workspace, then nothing is requested and the modal says why', async () => {
    const view = await openModal('topup', 'topup_modal');
    const before = approvalCount();
    const values = { money_amount: { amount: text('100.00') }, money_currency: { currency: text('usd') } };
    const res = await h.sender.viewSubmission({
      userId: PEOPLE.requester,
      callbackId: 'topup_modal',
      viewId: view.id,
      values,
      teamId: 'T0OTHER',
    });
    expect(res.json).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(res.json)).toContain('another workspace');
    await settle();
    expect(approvalCount()).toBe(before);
  });

  it('when the seller picker is queried from another workspace, then it lists nobody', async () => {
    const query = {
      userId: PEOPLE.requester,
      actionId: 'seller_picker',
      blockId: 'money_seller',
      value: '',
      viewCallbackId: 'transfer_modal',
    };
    expect(JSON.stringify((await h.sender.blockSuggestion(query)).json)).toContain(PEOPLE.seller1);
    expect((await h.sender.blockSuggestion({ ...query, teamId: 'T0OTHER' })).json).toEqual({ options: [] });
  });
});

describe('every button that changes something or shares records checks where the click comes from', () => {
  let pending: { requestId: string; ts: string };
  let heldRunId: string;
  let failedRunId: string;
  let activeScheduleId: string;
  let pausedScheduleId: string;
  let opsNoticeTs: string;

  async function approvedSchedule(command: string): Promise<string> {
    const { message, requestId } = await requestViaSlack(h, command);
    await clickApprove(h, message, requestId, PEOPLE.approver1);
    return (await waitForState(h, requestId, ['completed'], 15_000)).resultRef!;
  }

  beforeAll(async () => {
    const { message, requestId } = await requestViaSlack(h, `transfer <@${PEOPLE.seller1}|ana> 3.00 eur`);
    pending = { requestId, ts: message.ts };

    h.stripe.control.setBalance('eur', 10_00);
    const line = {
      key: PEOPLE.seller1,
      userId: PEOPLE.seller1,
      accountId: sellerAccount,
      money: { amount: 25_00, currency: 'eur' },
      description: null,
    };
    const held = await launchRun(h, 'run-held-guard', [line], { source: 'plan' });
    expect(held.status).toBe('held');
    h.stripe.control.setBalance('eur', 2_000_00); // a Start that got through would now pay
    heldRunId = held.id;
    opsNoticeTs = (
      await h.slack.waitFor(() => h.slack.messages(CHANNELS.ops).find((m) => messageText(m).includes(heldRunId)))
    ).ts;

    const failing = { ...line, key: 'line1', accountId: 'acct_doesnotexist', money: { amount: 2_00, currency: 'eur' } };
    failedRunId = (await launchRun(h, 'run-failed-guard', [failing], { requestedBy: PEOPLE.requester })).id;
    await eventually(async () => (await h.bot.deps.runs.get(failedRunId))?.status === 'done', {
      timeoutMs: 15_000,
      what: 'run done',
    });

    activeScheduleId = await approvedSchedule('schedule topup weekly fri 10:00 Europe/Paris 120.00 usd');
    pausedScheduleId = await approvedSchedule('schedule topup weekly thu 10:00 Europe/Paris 121.00 usd');
    await h.bot.deps.schedules.pause(pausedScheduleId, PEOPLE.requester);
  }, 60_000);

  const scheduleStatus = async (id: string) => (await h.bot.deps.schedules.get(id))?.status;
  const inApprovals = { channelId: CHANNELS.approvals };
  const onSchedulesList = { channelId: CHANNELS.general, ephemeral: true };

  /** Each button that changes state or sends records: where it is shown, and what must still be true after a click from elsewhere. */
  const BUTTONS = [
    {
      button: 'Approve',
      actionId: 'request_approve',
      userId: PEOPLE.approver1,
      click: () => ({ value: pending.requestId, messageTs: pending.ts, ...inApprovals }),
      unchanged: async () =>
        expect(await h.bot.deps.requests.get(pending.requestId)).toMatchObject({ state: 'pending', approvals: [] }),
    },
    {
      button: 'Reject',
      actionId: 'request_reject',
      userId: PEOPLE.approver1,
      click: () => ({ value: pending.requestId, messageTs: pending.ts, ...inApprovals }),
      unchanged: async () => {
        expect(
          h.slack
            .views()
            .filter((v) => v.callback_id === 'reject_modal' && v.private_metadata.includes(pending.requestId)),
        ).toHaveLength(0);
        expect((await h.bot.deps.requests.get(pending.requestId))?.state).toBe('pending');
      },
    },
    {
      button: 'Start run',
      actionId: 'run_start',
      userId: PEOPLE.approver1,
      click: () => ({ value: heldRunId, messageTs: opsNoticeTs, channelId: CHANNELS.ops }),
      unchanged: async () => {
        expect((await h.bot.deps.runs.get(heldRunId))?.status).toBe('held');
        expect(h.stripe.control.transfers().filter((t) => t.transfer_group?.includes(heldRunId))).toHaveLength(0);
      },
    },
    {
      button: 'Retry failed lines',
      actionId: 'run_retry',
      userId: PEOPLE.requester,
      click: () => ({ value: failedRunId, channelId: CHANNELS.ops }),
      unchanged: async () =>
        expect(
          h.slack.messages(CHANNELS.approvals).filter((m) => messageText(m).includes('failed lines again')),
        ).toHaveLength(0),
    },
    {
      button: 'Failed lines as CSV',
      actionId: 'run_failed_csv',
      userId: PEOPLE.approver1,
      click: () => ({ value: failedRunId, channelId: CHANNELS.ops }),
      unchanged: async () =>
        expect(
          h.slack.files(`D${PEOPLE.approver1}`).filter((f) => f.filename.startsWith('payout-run-failed-lines-')),
        ).toHaveLength(0),
    },
    {
      button: 'Pause',
      actionId: 'schedule_pause',
      userId: PEOPLE.requester,
      click: () => ({ value: activeScheduleId, ...onSchedulesList }),
      unchanged: async () => expect(await scheduleStatus(activeScheduleId)).toBe('active'),
    },
    {
      button: 'Delete',
      actionId: 'schedule_delete',
      userId: PEOPLE.requester,
      click: () => ({ value: activeScheduleId, ...onSchedulesList }),
      unchanged: async () => expect(await scheduleStatus(activeScheduleId)).toBe('active'),
    },
    {
      button: 'Resume',
      actionId: 'schedule_resume',
      userId: PEOPLE.requester,
      click: () => ({ value: pausedScheduleId, ...onSchedulesList }),
      unchanged: async () => {
        expect(await scheduleStatus(pausedScheduleId)).toBe('paused');
        expect(
          h.slack.messages(CHANNELS.approvals).filter((m) => messageText(m).includes('Resume schedule')),
        ).toHaveLength(0);
      },
    },
  ];
  const ORIGINS: { from: string; change: Partial<BlockActionParams>; says: RegExp }[] = [
    { from: 'another workspace', change: { teamId: 'T0OTHER' }, says: /another workspace/ },
    { from: 'another app', change: { appId: 'A0OTHER' }, says: /another app/ },
    // A message everyone in #general sees: none of these buttons is ever shown there.
    { from: 'another channel', change: { channelId: CHANNELS.general, ephemeral: false }, says: /count only/ },
  ];
  const CASES = BUTTONS.flatMap((b) => ORIGINS.map((o) => ({ ...b, ...o })));

  it.each(CASES)(
    'when $button is clicked from $from, then nothing changes and the clicker is told why',
    async ({ actionId, userId, click, unchanged, change, says }) => {
      const answers = h.slack.ephemerals(userId).length;
      const res = await h.sender.blockAction({ userId, actionId, ...click(), ...change });
      expect(res.status).toBe(200);
      const answer = await h.slack.waitFor(() =>
        h.slack
          .ephemerals(userId)
          .slice(answers)
          .find((e) => says.test(e.text ?? '')),
      );
      expect(answer.text).toMatch(/changed nothing/);
      await settle();
      await unchanged();
    },
  );

  it('when a button the bot never renders is clicked, then it changes nothing and the clicker is told so', async () => {
    const answers = h.slack.ephemerals(PEOPLE.approver1).length;
    await h.sender.blockAction({
      userId: PEOPLE.approver1,
      actionId: 'request_approve_all',
      value: pending.requestId,
      channelId: CHANNELS.approvals,
      messageTs: pending.ts,
    });
    await h.slack.waitFor(() =>
      h.slack
        .ephemerals(PEOPLE.approver1)
        .slice(answers)
        .find((e) => /changed nothing/.test(e.text ?? '')),
    );
  });

  it('when a schedule button is clicked on the schedules list, then it acts', async () => {
    await h.sender.blockAction({
      userId: PEOPLE.requester,
      actionId: 'schedule_delete',
      value: activeScheduleId,
      ...onSchedulesList,
    });
    await eventually(async () => (await scheduleStatus(activeScheduleId)) !== 'active', { what: 'schedule deleted' });
  });
});

describe('four eyes include the payee', () => {
  const payee = `<@${PEOPLE.approver2}|bo>`;

  async function csvRunPaying(lines: string): Promise<{ message: { ts: string }; requestId: string }> {
    const view = await openModal('run csv', 'run_csv_modal');
    const before = approvalCount();
    await h.sender.viewSubmission({
      userId: PEOPLE.requester,
      callbackId: 'run_csv_modal',
      viewId: view.id,
      values: { csv_text: { text: text(lines) } },
    });
    const message = await h.slack.waitFor(() => h.slack.messages(CHANNELS.approvals)[before]);
    return { message, requestId: /Request `(req_\w+)`/.exec(messageText(message))![1]! };
  }

  const REQUESTS = [
    { what: 'a transfer to them', ask: () => requestViaSlack(h, `transfer ${payee} 3.00 eur`) },
    { what: 'their line of the payout plan', ask: () => requestViaSlack(h, `plan ${payee} 4.00 eur`) },
    {
      what: 'a run with a line that pays them',
      ask: () => csvRunPaying(`<@${PEOPLE.seller1}|ana>,1.00,eur,a\n${payee},5.00,eur,b`),
    },
  ];

  it.each(REQUESTS)(
    'when an approver approves $what, then the click is refused, changes nothing, and another approver still can',
    async ({ ask }) => {
      const { message, requestId } = await ask();
      const answers = h.slack.ephemerals(PEOPLE.approver2).length;
      await clickApprove(h, message, requestId, PEOPLE.approver2);
      const answer = await h.slack.waitFor(() => h.slack.ephemerals(PEOPLE.approver2).slice(answers)[0]);
      expect(answer.text).toMatch(/pays you/);
      await settle();
      expect(await h.bot.deps.requests.get(requestId)).toMatchObject({ state: 'pending', approvals: [] });
      expect(h.stripe.control.transfers().filter((t) => t.transfer_group?.includes(requestId))).toHaveLength(0);

      await clickApprove(h, message, requestId, PEOPLE.approver1);
      await waitForState(h, requestId, ['approved', 'executing', 'completed']);
    },
  );
});
