import { afterEach, describe, expect, it } from 'vitest';
import { CHANNELS, type Harness, messageText, PEOPLE, startHarness, testClock } from '../../emulators/local-stack.js';
import { advanceOneDay } from '../../emulators/time-travel.js';
import { dayOf, lastTopupDay, subtractBusinessDays } from '../../src/domain/business-days.js';
import { onboardPayableSeller } from '../support/onboarding.js';
import { clickApprove, requestViaSlack, waitForState } from '../support/requests.js';

const DAY_MS = 86_400_000;
const WEEKS = 8;
const START = 1_000_00;
const GROWTH = 250_00;
const BUFFER = 500_00;
const LEAD = 6;

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
  testClock.offsetMs = 0;
});

async function approved(harness: Harness, text: string) {
  const { message, requestId } = await requestViaSlack(harness, text);
  await clickApprove(harness, message, requestId, PEOPLE.approver1);
  await clickApprove(harness, message, requestId, PEOPLE.approver2);
  return waitForState(harness, requestId, ['completed'], 15_000);
}

/** A platform with $1,500, one seller paid $1,000 every Wednesday (the plan grows by $250 after each run), both clocks on a Thursday. */
async function weeklyRunsFromThursday(): Promise<Harness> {
  const harness = await startHarness({ env: { FUNDING_BUFFER: 'usd:500' }, stripe: { balances: { usd: 1_500_00 } } });
  h = harness;
  await onboardPayableSeller(harness);
  const now = Date.now();
  const today = new Date(`${dayOf(new Date(now))}T01:00:00Z`);
  const thursday = new Date(today.getTime() + ((4 - today.getUTCDay() + 7) % 7 || 7) * DAY_MS);
  testClock.offsetMs = thursday.getTime() - now;
  harness.stripe.control.advanceClock(Math.floor(testClock.offsetMs / 1000));
  await approved(harness, `plan <@${PEOPLE.seller1}> 1000 usd`);
  await approved(harness, 'schedule run weekly wed 12:00 UTC');
  return harness;
}

const machine = (harness: Harness) => ({
  stripe: harness.stripe,
  deps: harness.bot.deps,
  clock: testClock,
  teamId: 'T0TEAM',
});

async function growPlan(harness: Harness) {
  const [entry] = await harness.bot.deps.plan.list('T0TEAM');
  await harness.bot.deps.plan.set({ ...entry!, money: { ...entry!.money, amount: entry!.money.amount + GROWTH } });
}

const sum = (items: { amount: number }[]) => items.reduce((total, item) => total + item.amount, 0);

describe('eight simulated weeks of weekly runs with a growing plan', () => {
  it('when automatic top-ups are on, then every run pays in full on its day, and the top-ups add up to what was paid, the next run and the buffer at most', async () => {
    const harness = await weeklyRunsFromThursday();
    await approved(harness, 'funding auto 5000 usd');
    const runs: string[] = [];
    while (runs.length < WEEKS) {
      for (const key of await advanceOneDay(machine(harness))) {
        const run = await harness.bot.deps.runs.get(`run-${key}`);
        expect(run?.status, `the run of ${key}`).toBe('done');
        expect(await harness.bot.deps.runs.failedLines(run!.id)).toEqual([]);
        runs.push(run!.id);
        await growPlan(harness);
      }
    }

    const paid = sum(harness.stripe.control.transfers());
    expect(paid).toBe(WEEKS * START + GROWTH * ((WEEKS * (WEEKS - 1)) / 2));
    const toppedUp = sum(harness.stripe.control.topups().filter((t) => t.status !== 'failed'));
    const nextRun = START + WEEKS * GROWTH;
    expect(toppedUp).toBeGreaterThanOrEqual(paid - 1_500_00);
    expect(toppedUp).toBeLessThanOrEqual(paid - 1_500_00 + nextRun + BUFFER);
    expect(harness.slack.messages(CHANNELS.ops).filter((m) => messageText(m).includes('held'))).toEqual([]);
    const announced = harness.slack.messages(CHANNELS.ops).filter((m) => m.text?.includes('Automatic top-up'));
    expect(announced.length).toBe(harness.stripe.control.topups().length);
    for (const topup of harness.stripe.control.topups())
      expect(topup.metadata.payout_ref).toMatch(/^pay_at\.usd-\d{4}-\d\d-\d\d$/);
  }, 240_000);

  it('when automatic top-ups are off, then ops is told of the first short run at least the settlement time before it', async () => {
    const harness = await weeklyRunsFromThursday();
    const firstSeen = new Map<string, string>();
    let heldOn: string | undefined;
    for (let day = 0; day < WEEKS * 7 && !heldOn; day++) {
      for (const key of await advanceOneDay(machine(harness))) {
        const run = await harness.bot.deps.runs.get(`run-${key}`);
        if (run?.status === 'held') heldOn = key.slice(-10);
        await growPlan(harness);
      }
      for (const m of harness.slack.messages(CHANNELS.ops)) {
        const key = /Shortfall `usd-([\d-]+)`/.exec(messageText(m))?.[1];
        if (key && !firstSeen.has(key)) firstSeen.set(key, dayOf(harness.bot.deps.clock.now()));
      }
    }

    expect(heldOn).toBeDefined();
    const told = firstSeen.get(heldOn!);
    expect(told, `a notice for ${heldOn}`).toBeDefined();
    expect(told! <= lastTopupDay(heldOn!, LEAD, new Set())).toBe(true);
    expect(told! <= subtractBusinessDays(heldOn!, LEAD, new Set())).toBe(true);
  }, 240_000);
});
