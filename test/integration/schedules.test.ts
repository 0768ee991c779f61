import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHANNELS, type Harness, messageText, PEOPLE, startHarness, testClock } from '../../emulators/local-stack.js';
import type { RunningBot } from '../../src/server.js';
import { eventually } from '../support/eventually.js';
import { onboardPayableSeller } from '../support/onboarding.js';
import { clickApprove, requestViaSlack, waitForState } from '../support/requests.js';

let h: Harness;
let secondWorker: RunningBot;

beforeAll(async () => {
  h = await startHarness({ env: { SWEEP_INTERVAL_SECONDS: '1' } });
  secondWorker = await h.startAnotherBot({ ROLE: 'worker' });
  await onboardPayableSeller(h);
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(() => {
  testClock.offsetMs = 0;
});

const opsTexts = () => h.slack.messages(CHANNELS.ops).map((m) => messageText(m));

async function approvedSchedule(text: string) {
  const { message, requestId } = await requestViaSlack(h, text);
  await clickApprove(h, message, requestId, PEOPLE.approver1);
  const request = await waitForState(h, requestId, ['completed'], 15_000);
  return { message, request, scheduleId: request.resultRef! };
}

describe('schedules', () => {
  it('when a weekly top-up schedule is approved, then it becomes a BullMQ job scheduler in its time zone and is listed with its next run', async () => {
    const { message, scheduleId } = await approvedSchedule(
      'schedule topup weekly mon 09:00 America/New_York 100.00 usd Weekly top-up',
    );
    expect(messageText(message)).toContain('every Monday at 09:00');
    const scheduler = await h.bot.deps.queues.schedules.getJobScheduler(scheduleId);
    expect(scheduler).toMatchObject({ pattern: '0 9 * * 1', tz: 'America/New_York' });
    await h.sender.slashCommand({ text: 'schedules', userId: PEOPLE.approver2 });
    const list = await h.slack.waitFor(() =>
      h.slack.ephemerals(PEOPLE.approver2).find((e) => messageText(e).includes(scheduleId)),
    );
    expect(messageText(list)).toMatch(/next Mon .* 09:00/);
    expect(messageText(list)).toContain('your time'); // approver2's zone is Europe/Paris
  });

  it('when a firing is delivered twice for one period and two workers share the queue, then Stripe makes one top-up', async () => {
    const { scheduleId } = await approvedSchedule('schedule topup daily 18:00 Europe/Paris 150.00 usd');
    const before = h.stripe.control.topups().length;
    const intended = Date.UTC(2026, 10, 24, 17, 0); // 18:00 in Paris
    await Promise.all(
      ['a', 'b', 'c'].map((n) =>
        h.bot.deps.queues.schedules.add('topup', { scheduleId }, {
          jobId: `dup-${scheduleId}-${n}`,
          prevMillis: intended,
        } as never),
      ),
    );
    await eventually(
      async () => (await h.bot.deps.queues.schedules.getJobCounts('completed')).completed! >= 3 || undefined,
      { timeoutMs: 15_000, what: 'three firings done' },
    );
    await eventually(async () => h.stripe.control.topups().length > before || undefined, {
      what: 'the top-up the firings queued',
    });
    const topups = h.stripe.control.topups().slice(before);
    expect(topups).toHaveLength(1);
    expect(topups[0]).toMatchObject({ amount: 15_000, currency: 'usd' });
    expect(topups[0]!.metadata.payout_ref).toBe(`pay_st.${scheduleId}-2026-11-24`);
    const topupId = topups[0]!.id;
    await h.slack.waitFor(() => opsTexts().filter((t) => t.includes(topupId)).length === 1 || undefined);
    expect(opsTexts().filter((t) => t.includes(topupId))).toHaveLength(1);
    expect(secondWorker).toBeDefined();
    // Its settlement arrives later, through the platform webhook.
    await h.stripe.control.settleTopup(topupId, 'succeeded');
    await h.slack.waitFor(() => opsTexts().find((t) => t.includes(topupId) && t.includes('settled')));
  });

  it('when a firing runs long after its time, then it runs once and ops is told it ran late', async () => {
    const { scheduleId } = await approvedSchedule('schedule topup daily 07:00 UTC 120.00 usd');
    const threeDaysAgo = Date.now() - 3 * 86_400_000;
    await h.bot.deps.queues.schedules.add('topup', { scheduleId }, {
      jobId: `late-${scheduleId}`,
      prevMillis: threeDaysAgo,
    } as never);
    await h.slack.waitFor(() => opsTexts().find((t) => t.includes('ran late') && t.includes('$120.00')), {
      timeoutMs: 10_000,
    });
  });

  it('when a firing has not happened minutes after its time, then ops is alerted once', async () => {
    const { scheduleId } = await approvedSchedule('schedule topup cron "*/5 * * * *" UTC 110.00 usd');
    // Nobody fires it: move the clock past its next firings and let the sweeper notice.
    await h.bot.deps.queues.schedules.removeJobScheduler(scheduleId);
    // Half-way between two firings (the grace is whole firings too), so the seconds this test waits cannot bring the
    // next firing's alert: at a */5 boundary the clock used to pass into a second missed period and a second alert.
    const fiveMinutes = 5 * 60_000;
    testClock.offsetMs = 30 * 60_000 + fiveMinutes / 2 - ((Date.now() + 30 * 60_000) % fiveMinutes);
    await h.slack.waitFor(() => opsTexts().find((t) => t.includes('has not run yet') && t.includes(scheduleId)), {
      timeoutMs: 10_000,
    });
    await new Promise((r) => setTimeout(r, 2_500));
    expect(opsTexts().filter((t) => t.includes('has not run yet') && t.includes(scheduleId))).toHaveLength(1);
  });

  it('pauses at once, and resuming asks for an approval before money moves again', async () => {
    const { scheduleId } = await approvedSchedule('schedule topup weekly fri 10:00 Europe/Paris 130.00 usd');
    await h.sender.blockAction({
      userId: PEOPLE.requester,
      actionId: 'schedule_pause',
      value: scheduleId,
      channelId: CHANNELS.general,
      ephemeral: true,
    });
    await eventually(async () => (await h.bot.deps.schedules.get(scheduleId))?.status === 'paused');
    // The record says paused first, then its job scheduler goes: wait for both, as the click's handler does them in turn.
    await eventually(
      async () => (await h.bot.deps.queues.schedules.getJobScheduler(scheduleId)) === undefined || undefined,
      { what: 'the job scheduler removed' },
    );
    // The list says "paused" once, not "paused · paused".
    await h.sender.slashCommand({ text: 'schedules', userId: PEOPLE.requester, channelId: CHANNELS.general });
    const listed = await h.slack.waitFor(() =>
      h.slack
        .ephemerals(PEOPLE.requester)
        .slice(-3)
        .map(messageText)
        .find((t) => t.includes(scheduleId) && t.includes('paused')),
    );
    expect(listed).not.toContain('paused · paused');
    await h.sender.blockAction({
      userId: PEOPLE.requester,
      actionId: 'schedule_resume',
      value: scheduleId,
      channelId: CHANNELS.general,
      ephemeral: true,
    });
    const message = await h.slack.waitFor(() =>
      h.slack
        .messages(CHANNELS.approvals)
        .find((m) => messageText(m).includes('Resume schedule') && messageText(m).includes('$130.00')),
    );
    const requestId = /Request `(req_\w+)`/.exec(messageText(message))![1]!;
    expect((await h.bot.deps.schedules.get(scheduleId))?.status).toBe('paused');
    await clickApprove(h, message, requestId, PEOPLE.approver1);
    await waitForState(h, requestId, ['completed'], 15_000);
    expect((await h.bot.deps.schedules.get(scheduleId))?.status).toBe('active');
    expect(await h.bot.deps.queues.schedules.getJobScheduler(scheduleId)).toMatchObject({ tz: 'Europe/Paris' });
  });

  it('refuses a schedule with a bad time or zone, politely', async () => {
    await h.sender.slashCommand({ text: 'schedule topup weekly mon 25:00 UTC 100 usd', userId: PEOPLE.requester });
    await h.slack.waitFor(() => h.slack.ephemerals(PEOPLE.requester).at(-1)?.text?.includes('HH:MM'));
    await h.sender.slashCommand({ text: 'schedule run daily 18:00 Mars/Olympus', userId: PEOPLE.requester });
    await h.slack.waitFor(() => h.slack.ephemerals(PEOPLE.requester).at(-1)?.text?.includes('Mars/Olympus'));
  });

  it('when schedule has no arguments, then a modal asks what and when, and checks both in place', async () => {
    await h.sender.slashCommand({ text: 'schedule', userId: PEOPLE.requester });
    const view = await h.slack.waitFor(() => h.slack.views().find((v) => v.callback_id === 'schedule_modal'));
    const values = (when: string, amount: string) => ({
      schedule_action: { action: { type: 'static_select', selected_option: { value: 'topup' } } },
      schedule_when: { when: { type: 'plain_text_input', value: when } },
      money_amount: { amount: { type: 'plain_text_input', value: amount } },
      money_description: { description: { type: 'plain_text_input', value: '' } },
    });
    const bad = await h.sender.viewSubmission({
      userId: PEOPLE.requester,
      callbackId: 'schedule_modal',
      viewId: view.id,
      values: values('weekly someday 09:00 UTC', '100 usd'),
    });
    expect(bad.json).toMatchObject({ response_action: 'errors', errors: { schedule_when: expect.any(String) } });
    const posted = h.slack.messages(CHANNELS.approvals).length;
    await h.sender.viewSubmission({
      userId: PEOPLE.requester,
      callbackId: 'schedule_modal',
      viewId: view.id,
      values: values('daily 06:00 Asia/Tokyo', '140 usd'),
    });
    const message = await h.slack.waitFor(() => h.slack.messages(CHANNELS.approvals)[posted]);
    expect(messageText(message)).toContain('every day at 06:00 (Asia/Tokyo)');
  });

  it('when the schedule modal opens, then "When" is a frequency, a weekday, a time picker and a zone; every field\'s problem shows at once; a good choice is asked for', async () => {
    const before = h.slack.views().length;
    await h.sender.slashCommand({ text: 'schedule', userId: PEOPLE.requester });
    const view = await h.slack.waitFor(() =>
      h.slack
        .views()
        .slice(before)
        .find((v) => v.callback_id === 'schedule_modal'),
    );
    const types = Object.fromEntries(
      (view.blocks as { block_id?: string; element?: { type: string } }[]).map((b) => [b.block_id, b.element?.type]),
    );
    expect(types).toMatchObject({
      schedule_frequency: 'static_select',
      schedule_weekday: 'static_select',
      schedule_time: 'timepicker',
      schedule_zone: 'static_select',
    });
    expect(types.schedule_when).toBeUndefined();
    const values = (time: string | null, amount: string, description: string) => ({
      schedule_action: { action: { type: 'static_select', selected_option: { value: 'topup' } } },
      schedule_frequency: { frequency: { type: 'static_select', selected_option: { value: 'weekly' } } },
      schedule_weekday: { weekday: { type: 'static_select', selected_option: { value: 'fri' } } },
      schedule_time: { time: { type: 'timepicker', selected_time: time } },
      schedule_zone: { zone: { type: 'static_select', selected_option: { value: 'Europe/Paris' } } },
      money_amount: { amount: { type: 'plain_text_input', value: amount } },
      money_description: { description: { type: 'plain_text_input', value: description } },
    });
    const bad = await h.sender.viewSubmission({
      userId: PEOPLE.requester,
      callbackId: 'schedule_modal',
      viewId: view.id,
      values: values(null, '100 xyz', 'x'.repeat(600)),
    });
    expect(bad.json).toMatchObject({
      response_action: 'errors',
      errors: {
        schedule_time: expect.any(String),
        money_amount: expect.any(String),
        money_description: expect.stringContaining('500'),
      },
    });
    const posted = h.slack.messages(CHANNELS.approvals).length;
    await h.sender.viewSubmission({
      userId: PEOPLE.requester,
      callbackId: 'schedule_modal',
      viewId: view.id,
      values: values('10:00', '150 usd', 'weekly float'),
    });
    const message = await h.slack.waitFor(() => h.slack.messages(CHANNELS.approvals)[posted]);
    expect(messageText(message)).toContain('every Friday at 10:00 (Europe/Paris)');
  });
});
