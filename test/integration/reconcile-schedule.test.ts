import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, type Harness, messageText, PEOPLE, startHarness } from '../../emulators/local-stack.js';
import { MAINTENANCE_JOBS, SCHEDULER_IDS } from '../../jobs/maintenance.job.js';
import { eventually } from '../support/eventually.js';
import { onboardPayableSeller } from '../support/onboarding.js';
import { runToTheEnd } from '../support/runs.js';

let h: Harness;
let sellerAccount: string;

beforeAll(async () => {
  h = await startHarness({ env: { RECONCILE_AT: '03:17 Europe/Paris' } });
  sellerAccount = await onboardPayableSeller(h);
});
afterAll(async () => {
  await h?.stop();
});

const reconciles = async (trigger: string) =>
  (await h.bot.deps.audit.latest(200)).filter(
    (e) => e.action === 'reconcile.run' && e.detail?.includes(`(${trigger})`),
  );
const opsReconcileNotices = () => h.slack.messages(CHANNELS.ops).filter((m) => messageText(m).includes('Reconcile:'));

async function finishedRun(id: string): Promise<void> {
  const lines = [
    {
      key: 'l0',
      userId: PEOPLE.seller1,
      accountId: sellerAccount,
      money: { amount: 2_00, currency: 'eur' },
      description: null,
    },
  ];
  await runToTheEnd(h, id, lines, 10_000);
}

describe('automatic reconciliation', () => {
  it('when two workers are running at the nightly time, then one job scheduler makes one reconcile, which is kept and audited', async () => {
    const second = await h.startAnotherBot();
    const maintenance = h.bot.deps.queues.maintenance;
    const schedulers = (await maintenance.getJobSchedulers()).filter((s) => s.key === SCHEDULER_IDS.reconcile);
    expect(schedulers).toMatchObject([{ pattern: '17 3 * * *', tz: 'Europe/Paris' }]);
    const waiting = (await maintenance.getDelayed()).filter((job) => job.name === MAINTENANCE_JOBS.reconcile);
    expect(waiting).toHaveLength(1);

    // The night comes: the delayed job becomes due, and either worker may take it.
    await waiting[0]!.promote();
    await eventually(async () => (await reconciles('nightly')).length > 0, { what: 'the nightly reconcile' });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await reconciles('nightly')).toHaveLength(1);
    expect((await h.bot.deps.reconcile.latest())?.trigger).toBe('nightly');
    expect(opsReconcileNotices()).toHaveLength(0);
    await second.stop();
  });

  it('when a payout run ends, then its days are reconciled; ops hears only when something differs', async () => {
    await finishedRun('run-agrees');
    await eventually(async () => (await reconciles('run')).length === 1, { what: 'the reconcile after the run' });
    expect(opsReconcileNotices()).toHaveLength(0);

    const stripe = new Stripe('sk_test_payoutops', { host: '127.0.0.1', port: h.stripe.port, protocol: 'http' });
    const foreign = await stripe.transfers.create({ amount: 9_00, currency: 'eur', destination: sellerAccount });
    await finishedRun('run-differs');
    const notice = await h.slack.waitFor(() => opsReconcileNotices()[0], { timeoutMs: 10_000 });
    expect(messageText(notice)).toContain('2 payments compared, 1 difference');
    expect(messageText(notice)).toContain(foreign.id);
    expect(messageText(notice)).toContain('after a payout run');
  });
});
