import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHANNELS, type Harness, messageText, PEOPLE, startHarness, testClock } from '../../emulators/local-stack.js';
import { dayOf, lastTopupDay } from '../../src/domain/business-days.js';
import { nextFirings, parseScheduleTime } from '../../src/domain/schedule-time.js';
import { formatDay } from '../../src/slack/blocks/funding.js';
import { onboardPayableSeller } from '../support/onboarding.js';
import { clickApprove, requestViaSlack, waitForState } from '../support/requests.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ stripe: { balances: { usd: 5_000_00, eur: 2_000_00 } } });
  await onboardPayableSeller(h);
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(() => {
  testClock.offsetMs = 0;
});

async function approved(text: string) {
  const { message, requestId } = await requestViaSlack(h, text);
  await clickApprove(h, message, requestId, PEOPLE.approver1);
  await clickApprove(h, message, requestId, PEOPLE.approver2);
  return waitForState(h, requestId, ['completed'], 15_000);
}

async function forecastReply(text: string, userId: string = PEOPLE.approver1) {
  const before = h.slack.ephemerals(userId).length;
  await h.sender.slashCommand({ text, userId, channelId: CHANNELS.general });
  return messageText(await h.slack.waitFor(() => h.slack.ephemerals(userId)[before], { timeoutMs: 15_000 }));
}

const WEEKLY = 'weekly wed 12:00 UTC';
function weeklyWednesday() {
  const parsed = parseScheduleTime(WEEKLY.split(' '));
  if ('error' in parsed) throw new Error(parsed.error.code);
  return parsed.time;
}

const shortfallNotices = () => h.slack.messages(CHANNELS.ops).filter((m) => m.text?.startsWith('Funding shortfall'));

describe('/payout forecast', () => {
  it('when a weekly run will take more than the balance, then the forecast names its day, the amount short after pending funds and the last day to top up', async () => {
    await approved(`plan <@${PEOPLE.seller1}> 3000 usd`);
    await approved(`schedule run ${WEEKLY}`);
    const [first, second] = nextFirings(weeklyWednesday(), new Date(), 2).map(dayOf);
    // 500 arrive the day before the second run: it is short by 1,000 − 500.
    h.stripe.control.addPendingFunds('usd', 500_00, Date.parse(`${second}T00:00:00Z`) / 1000 - 86_400);

    const text = await forecastReply('forecast 21');

    expect(text).toContain('Funding forecast: the next 21 days');
    expect(text).toContain('$5,000.00 available now');
    expect(text).toContain(`${formatDay(first!)}`);
    expect(text).toContain(`*${formatDay(second!)}*: short by *$500.00* (run every Wednesday at 12:00 (UTC))`);
    expect(text).toContain(`request a top-up by *${formatDay(lastTopupDay(second!, 6, new Set()))}*`);
    expect(text).toMatch(/\*EUR\*: €2,000.00 available now/);
    expect(text).toMatch(/as of \d\d:\d\d UTC/);
  });

  it('when the days are not a whole number from 1 to 60, or the person is not staff, then the answer says so politely', async () => {
    expect(await forecastReply('forecast 61')).toContain('whole number from 1 to 60');
    expect(await forecastReply('forecast soon')).toContain('whole number from 1 to 60');
    expect(await forecastReply('forecast', PEOPLE.outsider)).toContain('only payout requesters and approvers');
  });
});

describe('shortfall notices', () => {
  it('when the next run will be short within the lead time, then ops gets one notice per shortfall, however many workers check at once, with a button that opens the top-up prefilled', async () => {
    h.stripe.control.setBalance('usd', 1_000_00);
    const second = await h.startAnotherBot({ ROLE: 'worker' });
    await Promise.all([
      h.bot.deps.funding.check(),
      second.deps.funding.check(),
      h.bot.deps.funding.check(),
      second.deps.funding.check(),
    ]);
    const firstRun = formatDay(dayOf(nextFirings(weeklyWednesday(), new Date(), 1)[0]!));

    const notice = await h.slack.waitFor(() => shortfallNotices().find((m) => m.text?.includes(firstRun)), {
      timeoutMs: 10_000,
    });
    // The checks that the plan and schedule changes asked for have run too, by now.
    await new Promise((r) => setTimeout(r, 1_500));

    const keys = shortfallNotices().map((m) => /Shortfall `(usd-[\d-]+)`/.exec(messageText(m))?.[1]);
    expect(new Set(keys).size).toBe(keys.length);
    expect(messageText(notice)).toContain('Funding shortfall in USD');
    expect(messageText(notice)).toContain('short by *$2,000.00* (run every Wednesday at 12:00 (UTC))');
    const key = /Shortfall `(usd-[\d-]+)`/.exec(messageText(notice))?.[1];

    await h.sender.blockAction({
      userId: PEOPLE.requester,
      actionId: 'funding_request_topup',
      value: key!,
      channelId: CHANNELS.ops,
      messageTs: notice.ts,
    });
    const view = await h.slack.waitFor(
      () =>
        h.slack
          .views()
          .find((v) => v.callback_id === 'topup_modal' && JSON.stringify(v).includes('"initial_value":"2000.00"')),
      { timeoutMs: 10_000 },
    );
    expect(JSON.stringify(view)).toContain('"initial_value":"usd"');
  });

  it('when the balance then covers them, then the same notices are updated in place to say so, and no new one is posted', async () => {
    const before = shortfallNotices();
    h.stripe.control.setBalance('usd', 50_000_00);
    await h.bot.deps.funding.check();

    for (const notice of before) {
      const updated = await h.slack.waitFor(
        () => h.slack.messages(CHANNELS.ops).find((m) => m.ts === notice.ts && messageText(m).includes('covered')),
        { timeoutMs: 10_000 },
      );
      expect(messageText(updated)).not.toContain('funding_request_topup');
    }
    expect(shortfallNotices()).toHaveLength(before.length);
  });
});

describe('/payout funding', () => {
  it('when automatic top-ups are approved and two workers check at once, then the first run short gets one top-up through the money path, audited and announced once', async () => {
    const request = await approved('funding auto 20000 usd');
    expect(request.kind).toBe('funding');
    h.stripe.control.setBalance('usd', 1_000_00);
    const firstRun = dayOf(nextFirings(weeklyWednesday(), new Date(), 1)[0]!);
    const second = await h.startAnotherBot({ ROLE: 'worker' });

    await Promise.all([
      h.bot.deps.funding.check(),
      second.deps.funding.check(),
      h.bot.deps.funding.check(),
      second.deps.funding.check(),
    ]);
    const ref = `pay_at.usd-${firstRun}`;
    await h.slack.waitFor(
      () =>
        h.slack
          .messages(CHANNELS.ops)
          .find((m) => m.text?.includes('Automatic top-up') && m.text.includes(formatDay(firstRun))),
      { timeoutMs: 10_000 },
    );
    await new Promise((r) => setTimeout(r, 1_000));

    const made = h.stripe.control.topups().filter((t) => t.metadata.payout_ref === ref);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ amount: 2_000_00, currency: 'usd', transfer_group: ref });
    expect(
      h.slack
        .messages(CHANNELS.ops)
        .filter((m) => m.text?.includes('Automatic top-up') && m.text.includes(formatDay(firstRun))),
    ).toHaveLength(1);
    // A top-up that Stripe expects after the run leaves it short: then ops is told, on the one notice of that day.
    expect(shortfallNotices().filter((m) => m.text?.includes(formatDay(firstRun))).length).toBeLessThanOrEqual(1);
    const audit = await h.bot.deps.audit.latest(50);
    expect(audit.filter((e) => e.action === 'funding.auto_topup_created' && e.payoutRef === ref)).toHaveLength(1);
  });

  it('when someone asks, then the standing permission shows with what its cap has used; funding off stops it at once', async () => {
    expect(await forecastReply('funding')).toMatch(
      /\*USD\*: on, up to \$20,000.00 in any 7 days \(\$[\d,.]+ of \$20,000.00 used in the last 7 days\)/,
    );
    expect(await forecastReply('funding off', PEOPLE.requester)).toContain('Automatic USD top-ups are off');
    expect(await forecastReply('funding')).toContain('Automatic top-ups are off');
    expect(await forecastReply('funding auto 100 eur', PEOPLE.requester)).toContain(
      "Top-ups are made in the platform's own currency (USD)",
    );
    expect(await forecastReply('funding sometimes', PEOPLE.requester)).toContain('Usage');
  });
});
