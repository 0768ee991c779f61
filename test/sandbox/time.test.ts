import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogCapture } from '../../emulators/local-stack.js';
import { type Sandbox, startSandbox } from '../../sandbox/stack.js';
import { isBusinessDay } from '../../src/domain/business-days.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, logLevel: 'info', logDestination: new LogCapture() });
}, 30_000);
afterAll(async () => {
  await sandbox?.stop();
});

const state = async () =>
  (await (await fetch(`${new URL('api/', sandbox.consoleUrl)}state?user=UREQUESTER`)).json()) as {
    funding: { today: string; shortfalls: unknown[] } | null;
  };

describe('the sandbox clock', () => {
  it('when Next day is pressed, then the bot and Stripe both move to the next business day, and the header shows its forecast', async () => {
    const before = sandbox.bot.deps.clock.now();
    const moved = (await (
      await fetch(`${new URL('api/', sandbox.consoleUrl)}next-day`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
    ).json()) as { ok: boolean; funding: { today: string; shortfalls: unknown[] } };

    expect(moved).toMatchObject({ ok: true });
    const today = moved.funding.today;
    expect(today > before.toISOString().slice(0, 10)).toBe(true);
    expect(isBusinessDay(today, new Set())).toBe(true);
    expect(sandbox.bot.deps.clock.now().toISOString().slice(0, 10)).toBe(today);
    // The emulator's clock moved as far: a top-up made now is dated on the sandbox's day.
    const topup = await sandbox.bot.deps.stripe.topups.create({ amount: 100, currency: 'usd' });
    expect(new Date(topup.created * 1000).toISOString().slice(0, 10)).toBe(today);
    expect(moved.funding.shortfalls).toEqual([]);
    await expect.poll(async () => (await state()).funding?.today).toBe(today);
  });
});
