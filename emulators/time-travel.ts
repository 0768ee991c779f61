import type { AppDeps } from '../src/deps.js';
import { firingsBetween, periodKey } from '../src/domain/schedule-time.js';
import type { StripeEmulator } from './stripe/server.js';

const DAY_MS = 86_400_000;

/** What moves when a day passes: the emulator's clock, the bot's clock (an offset from now) and the bot itself. */
export interface TimeMachine {
  stripe: StripeEmulator;
  deps: AppDeps;
  clock: { offsetMs: number };
  /** The workspace whose schedules fire. */
  teamId: string;
}

/** Resolves once the bot's queues have nothing waiting, running or retrying (job schedulers' next jobs aside: they wait for real time). */
export async function waitForIdle(deps: AppDeps, timeoutMs = 30_000): Promise<void> {
  const { stripeEvents, executions, runLines, schedules, maintenance } = deps.queues;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await Promise.all([
      ...[stripeEvents, executions, runLines].map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized')),
      ...[schedules, maintenance].map((q) => q.getJobCounts('waiting', 'active', 'prioritized')),
    ]);
    const busy = counts.reduce((sum, c) => sum + Object.values(c).reduce((a, b) => a + b, 0), 0);
    if (busy === 0) return;
    if (Date.now() > deadline)
      throw new Error(`the bot's queues are still busy after ${timeoutMs} ms: ${JSON.stringify(counts)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Moves both clocks forward one day and lets the day happen: funds due by then become available at Stripe (and its
 * webhooks reach the bot), each schedule firing that fell due fires once (as BullMQ would have, keyed by its
 * period), and the daily funding check runs. Returns the periods that fired.
 */
export async function advanceOneDay(machine: TimeMachine): Promise<string[]> {
  const { stripe, deps, clock } = machine;
  const from = deps.clock.now();
  clock.offsetMs += DAY_MS;
  stripe.control.advanceClock(DAY_MS / 1000);
  const to = deps.clock.now();
  await stripe.control.releaseDueFunds();
  await waitForIdle(deps);
  const fired: string[] = [];
  for (const { schedule } of await deps.schedules.list(machine.teamId)) {
    if (schedule.status !== 'active') continue;
    for (const at of firingsBetween(schedule.time, from, to, 2_000)) {
      const key = periodKey(schedule.id, schedule.time, at);
      await deps.queues.schedules.add(schedule.action, { scheduleId: schedule.id }, {
        jobId: `travel-${key}`,
        prevMillis: at.getTime(),
      } as never);
      fired.push(key);
    }
  }
  await waitForIdle(deps);
  await deps.funding.check();
  await waitForIdle(deps);
  return fired;
}
