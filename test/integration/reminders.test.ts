import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, type Harness, messageText, PEOPLE, startHarness, testClock } from '../../emulators/local-stack.js';
import { clickApprove, requestViaSlack, waitForState } from '../support/requests.js';

let h: Harness;

beforeAll(async () => {
  // A sweep every second, on two workers sharing Redis.
  h = await startHarness({ env: { SWEEP_INTERVAL_SECONDS: '1', LOG_LEVEL: 'warn' } });
});
afterAll(async () => {
  testClock.offsetMs = 0;
  await h?.stop();
});

/** The reminders posted in the thread of the approval message at `ts`. */
const remindersOf = (ts: string) =>
  h.slack.messages(CHANNELS.approvals).filter((m) => m.thread_ts === ts && m.ts !== ts);
const sweeps = () => new Promise((resolve) => setTimeout(resolve, 3_000));

describe('reminders before a request expires', () => {
  it('when a request passes halfway and then the last hour, across two workers and a restart, then its thread gets one reminder per point mentioning the approvers; a decided request gets none', async () => {
    const second = await h.startAnotherBot();
    const waiting = await requestViaSlack(h, 'topup 20 usd waiting');
    const decided = await requestViaSlack(h, 'topup 21 usd decided');
    await clickApprove(h, decided.message, decided.requestId, PEOPLE.approver1);
    await waitForState(h, decided.requestId, ['completed']);

    // The default time to live is 24 hours: halfway is 12 hours in.
    testClock.offsetMs = 12 * 3_600_000 + 1_000;
    const halfway = await h.slack.waitFor(() => remindersOf(waiting.message.ts)[0], { timeoutMs: 10_000 });
    expect(messageText(halfway)).toContain('Halfway to expiry');
    expect(messageText(halfway)).toContain(`<@${PEOPLE.approver1}>`);
    expect(messageText(halfway)).toContain('<!subteam^SAPPROVERS>');
    expect(messageText(halfway)).not.toContain(`<@${PEOPLE.requester}>`);
    await sweeps();
    expect(remindersOf(waiting.message.ts)).toHaveLength(1);

    // A restart: the second worker stops, a fresh one starts; the claims live in Redis.
    await second.stop();
    await h.startAnotherBot();
    await sweeps();
    expect(remindersOf(waiting.message.ts)).toHaveLength(1);

    testClock.offsetMs = 23 * 3_600_000 + 1_000;
    await h.slack.waitFor(() => remindersOf(waiting.message.ts)[1], { timeoutMs: 10_000 });
    await sweeps();
    expect(remindersOf(waiting.message.ts).map((m) => messageText(m).includes('Expiring soon'))).toEqual([false, true]);
    expect(remindersOf(decided.message.ts)).toHaveLength(0);
    expect((await h.bot.deps.requests.get(waiting.requestId))?.state).toBe('pending');
  }, 40_000);

  it('when a request is made, then a delayed job per point is queued (id from request and point); when they fire on two workers, one reminder each, none for a decided request, and queuing again after a restart adds nothing', async () => {
    testClock.offsetMs = 0;
    const second = await h.startAnotherBot();
    const waiting = await requestViaSlack(h, 'topup 22 usd jobs waiting');
    const decided = await requestViaSlack(h, 'topup 23 usd jobs decided');
    await clickApprove(h, decided.message, decided.requestId, PEOPLE.approver1);
    await waitForState(h, decided.requestId, ['completed']);

    const queue = h.bot.deps.queues.maintenance;
    const jobsOf = (requestId: string) =>
      Promise.all(['halfway', 'closing'].map((point) => queue.getJob(`reminder-${requestId}-${point}`)));
    const [halfway, closing] = await jobsOf(waiting.requestId);
    expect(await halfway?.getState()).toBe('delayed');
    expect(halfway?.opts.delay).toBeGreaterThan(11 * 3_600_000);
    expect(closing?.opts.delay).toBeGreaterThan(22 * 3_600_000);

    // Their time comes (promoted now rather than waited for): each point once, mentioning the approvers.
    for (const job of [...(await jobsOf(waiting.requestId)), ...(await jobsOf(decided.requestId))])
      await job?.promote();
    await h.slack.waitFor(() => remindersOf(waiting.message.ts)[1], { timeoutMs: 10_000 });
    expect(
      remindersOf(waiting.message.ts)
        .map(messageText)
        .every((text) => text.includes(`<@${PEOPLE.approver1}>`)),
    ).toBe(true);

    await second.stop();
    await h.startAnotherBot();
    await h.bot.deps.reminders.schedule((await h.bot.deps.requests.get(waiting.requestId))!);
    await sweeps();
    expect(
      remindersOf(waiting.message.ts)
        .map((m) => messageText(m).includes('Expiring soon'))
        .sort(),
    ).toEqual([false, true]);
    expect(remindersOf(decided.message.ts)).toHaveLength(0);
  }, 40_000);
});
