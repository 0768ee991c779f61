import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHANNELS, PEOPLE, messageText, startHarness, testClock, type Harness } from '../../emulators/local-stack.js';
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
  return messageText(await h.slack.waitFor(() => h.slack.ephemerals(userId)[before], { timeoutMs: 10_000 }));
}

describe('/payout forecast', () => {
  it('when a weekly run will take more than the balance, then the forecast names its day, the amount short after pending funds and the last day to top up', async () => {
    await approved(`plan <@${PEOPLE.seller1}> 3000 usd`);
    const when = 'weekly wed 12:00 UTC';
    await approved(`schedule run ${when}`);
    const time = parseScheduleTime(when.split(' '));
    if ('error' in time) throw new Error(time.error);
    const [first, second] = nextFirings(time.time, new Date(), 2).map(dayOf);
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
