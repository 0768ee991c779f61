import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHANNELS, type Harness, messageText, PEOPLE, startHarness, testClock } from '../../emulators/local-stack.js';
import type { StripeEvent } from '../../emulators/stripe/webhooks.js';
import { createRedisRunStore } from '../../src/adapters/redis/payout-stores.js';
import { paymentJobId, paymentRef } from '../../src/domain/payments.js';
import type { PaymentRef } from '../../src/domain/payments.types.js';
import { eventually } from '../support/eventually.js';
import { onboardPayableSeller } from '../support/onboarding.js';
import { clickApprove, requestViaSlack, waitForState } from '../support/requests.js';
import { runToTheEnd } from '../support/runs.js';

let h: Harness;
let sellerAccount: string;

beforeAll(async () => {
  h = await startHarness({
    env: { SWEEP_INTERVAL_SECONDS: '1', STRIPE_TRANSFERS_PER_SECOND: '50' },
    stripe: { balances: { usd: 50_000_00, eur: 50_000_00 } },
  });
  sellerAccount = await onboardPayableSeller(h);
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(() => {
  testClock.offsetMs = 0;
});

const opsTexts = () => h.slack.messages(CHANNELS.ops).map((m) => messageText(m));
const line = (key: string, amount: number, currency = 'eur') => ({
  key,
  userId: PEOPLE.seller1,
  accountId: sellerAccount,
  money: { amount, currency },
  description: null,
});

async function approvedTopupSchedule(text: string) {
  const { message, requestId } = await requestViaSlack(h, text);
  await clickApprove(h, message, requestId, PEOPLE.approver1);
  return (await waitForState(h, requestId, ['completed'], 15_000)).resultRef!;
}

/** A signed event Stripe could send late: `object` as it was when the event was made, under a fresh event id. */
function staleEvent(type: string, object: unknown): StripeEvent {
  const id = `evt_stale${Math.random().toString(36).slice(2, 12)}`;
  return {
    id,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: Math.floor(Date.now() / 1000) - 600,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

const settlementIs = (requestId: string, settlement: string) =>
  eventually(async () => (await h.bot.deps.requests.get(requestId))?.settlement === settlement || undefined, {
    what: `${settlement} recorded`,
  });
const handled = (record: { event: { id: string } }) =>
  eventually(async () => (await h.bot.deps.queues.stripeEvents.getJob(record.event.id))?.finishedOn || undefined, {
    what: `event ${record.event.id} handled`,
  });

/** A top-up requested, approved, made, and settled at Stripe, with its success recorded. */
async function settledTopup(amount: string) {
  const { message, requestId } = await requestViaSlack(h, `topup ${amount} usd`);
  await clickApprove(h, message, requestId, PEOPLE.approver1);
  const { stripeId } = await waitForState(h, requestId, ['completed']);
  const topup = await h.stripe.control.settleTopup(stripeId!, 'succeeded');
  await settlementIs(requestId, 'succeeded');
  return { requestId, topup };
}

describe('one payment reference', () => {
  it('when a one-off transfer, two run lines and a scheduled top-up are paid, then each has its own transfer_group equal to its payout_ref, idempotency key and job id', async () => {
    const transfer = await requestViaSlack(h, `transfer <@${PEOPLE.seller1}|ana> 12.00 eur one-off`);
    await clickApprove(h, transfer.message, transfer.requestId, PEOPLE.approver1);
    await waitForState(h, transfer.requestId, ['completed']);
    await runToTheEnd(h, 'req_refsrun', [line('USELLER1', 101), line('line2', 102)]);
    const scheduleId = await approvedTopupSchedule('schedule topup daily 18:00 Europe/Paris 70.00 usd');
    await h.bot.deps.queues.schedules.add('topup', { scheduleId }, {
      jobId: `refs-${scheduleId}`,
      prevMillis: Date.UTC(2026, 11, 1, 17, 0),
    } as never);
    const periodKey = `${scheduleId}-2026-12-01`;
    await eventually(
      async () => h.stripe.control.topups().find((t) => t.metadata.payout_ref?.includes(periodKey)) || undefined,
      { what: 'the scheduled top-up' },
    );

    const refs: PaymentRef[] = [
      { kind: 'request', requestId: transfer.requestId },
      { kind: 'run-line', runId: 'req_refsrun', lineKey: 'USELLER1' },
      { kind: 'run-line', runId: 'req_refsrun', lineKey: 'line2' },
      { kind: 'scheduled-topup', periodKey },
    ];
    const objects = [...h.stripe.control.transfers(), ...h.stripe.control.topups()];
    const groups = new Set<string>();
    for (const ref of refs) {
      const text = paymentRef(ref);
      const made = objects.filter((o) => o.transfer_group === text);
      expect(made, text).toHaveLength(1);
      expect(made[0]!.metadata).toMatchObject({ payout_ref: text, payout_kind: ref.kind });
      const posts = h.stripe.control.requests.filter((r) => r.method === 'POST' && r.idempotencyKey === text);
      expect(posts.length, `POSTs keyed ${text}`).toBeGreaterThan(0);
      const queue = ref.kind === 'run-line' ? h.bot.deps.queues.runLines : h.bot.deps.queues.executions;
      expect(await queue.getJob(paymentJobId(ref)), `job ${text}`).toBeDefined();
      groups.add(made[0]!.transfer_group!);
    }
    expect(groups.size).toBe(4);
    // Every log line about these payments carries the reference under one name, and the Stripe ids on completion.
    const paid = h.logs.lines.filter((l) => l.event === 'payment.paid');
    for (const ref of refs)
      expect(paid.find((l) => l.payoutRef === paymentRef(ref))).toMatchObject({
        stripeId: expect.stringMatching(/^(tr|tu)_/),
        stripeRequestId: expect.stringMatching(/^req_/),
      });
    expect(h.logs.lines.some((l) => typeof l.traceId === 'string' && String(l.traceId).startsWith('trc_'))).toBe(true);
  });
});

describe('settlements are Stripe’s truth', () => {
  it('when a run line is reversed at Stripe, then it is recorded, audited and announced, and a partial reversal shows the amount', async () => {
    await runToTheEnd(h, 'req_reverserun', [line('USELLER1', 30_00), line('line2', 20_00)]);
    const ref = paymentRef({ kind: 'run-line', runId: 'req_reverserun', lineKey: 'USELLER1' });
    const transfer = h.stripe.control.transfers().find((t) => t.transfer_group === ref)!;

    await h.stripe.control.reverseTransfer(transfer.id, { amount: 12_50 });

    await h.slack.waitFor(() =>
      opsTexts().find((t) => t.includes(transfer.id) && t.includes('€12.50') && t.includes('€30.00')),
    );
    const lines = createRedisRunStore(h.bot.deps.redis);
    expect(await lines.line('req_reverserun', 'USELLER1')).toMatchObject({ status: 'paid', amountReversed: 12_50 });
    expect((await lines.counts('req_reverserun')).reversedTotals).toEqual([{ currency: 'eur', amount: 12_50 }]);
    const audit = await h.bot.deps.audit.latest(20);
    expect(audit.find((e) => e.action === 'run.line_reversed' && e.payoutRef === ref)).toMatchObject({
      amounts: [{ currency: 'eur', amount: 12_50 }],
      payee: { userId: PEOPLE.seller1, accountId: sellerAccount },
      stripeId: transfer.id,
    });

    // The rest is reversed later: the line now shows all of it, and ops hears of the difference only.
    await h.stripe.control.reverseTransfer(transfer.id);
    await h.slack.waitFor(() => opsTexts().find((t) => t.includes(transfer.id) && t.includes('€17.50 back')));
    expect(await lines.line('req_reverserun', 'USELLER1')).toMatchObject({ amountReversed: 30_00 });
  });

  it('when a one-off transfer is partly reversed, then its message shows how much came back', async () => {
    const { message, requestId } = await requestViaSlack(h, `transfer <@${PEOPLE.seller1}|ana> 40.00 eur`);
    await clickApprove(h, message, requestId, PEOPLE.approver1);
    const paid = await waitForState(h, requestId, ['completed']);
    await h.stripe.control.reverseTransfer(paid.stripeId!, { amount: 10_00 });
    await settlementIs(requestId, 'partially_reversed');
    await h.slack.waitFor(
      () => messageText(h.slack.message(CHANNELS.approvals, message.ts)).includes('€10.00 of €40.00 back') || undefined,
    );
  });

  it('when topup.reversed arrives and then an older topup.succeeded, then the top-up stays reversed', async () => {
    const { requestId, topup: succeeded } = await settledTopup('90.00');
    await h.stripe.control.settleTopup(succeeded.id, 'reversed');
    await settlementIs(requestId, 'reversed');

    await handled(await h.stripe.control.deliver(staleEvent('topup.succeeded', succeeded)));

    expect(await h.bot.deps.requests.get(requestId)).toMatchObject({ settlement: 'reversed' });
  });

  it('when topup.succeeded is followed by a topup.failed while Stripe shows it succeeded, then it stays succeeded', async () => {
    const { requestId, topup: settled } = await settledTopup('95.00');

    await handled(
      await h.stripe.control.deliver(
        staleEvent('topup.failed', { ...settled, status: 'failed', failure_message: 'stale' }),
      ),
    );

    expect(await h.bot.deps.requests.get(requestId)).toMatchObject({ settlement: 'succeeded', failure: null });
  });

  it('when a signed event names no object or an object we never made, then it is acknowledged and changes nothing', async () => {
    const before = await h.bot.deps.queues.stripeEvents.getJobCounts('completed', 'failed', 'waiting');
    for (const event of [
      { ...staleEvent('topup.succeeded', null), data: null },
      staleEvent('transfer.reversed', { id: 'tr_notours', metadata: {} }),
    ] as StripeEvent[]) {
      const record = await h.stripe.control.deliver(event);
      expect(record.deliveries.at(-1)?.attempts.at(-1)?.status).toBe(200);
    }
    expect(await h.bot.deps.queues.stripeEvents.getJobCounts('completed', 'failed', 'waiting')).toEqual(before);
  });
});

describe('past Stripe’s idempotency window', () => {
  it('when a run line is retried 25 hours after its first attempt, then the transfer it made is found and nobody is paid twice', async () => {
    const runs = createRedisRunStore(h.bot.deps.redis);
    const runId = 'req_lateretry';
    const pending = { ...line('USELLER1', 7_00), status: 'pending', stripeId: null, reason: null } as const;
    await runs.stageLines(runId, [pending]);
    await runs.create(
      {
        id: runId,
        teamId: 'T0TEAM',
        source: 'csv',
        requestId: null,
        scheduleId: null,
        requestedBy: null,
        totals: [{ currency: 'eur', amount: 7_00 }],
        lineCount: 1,
        status: 'running',
        shortfall: [],
        message: null,
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
      },
      [pending.key],
    );
    const ref = paymentRef({ kind: 'run-line', runId, lineKey: 'USELLER1' });
    // The SDK's own two retries meet a busy Stripe; its last try makes the transfer, but the answer is lost on the way back.
    h.stripe.control.failNext({ method: 'POST', path: '/v1/transfers', status: 500, count: 2 });
    h.stripe.control.failAfterSideEffect({ method: 'POST', path: '/v1/transfers', status: 500 });
    await expect(h.bot.deps.runs.payLine(runId, 'USELLER1')).rejects.toMatchObject({ retryable: true });
    expect(h.stripe.control.transfers().filter((t) => t.transfer_group === ref)).toHaveLength(1);
    h.stripe.control.clearFaults();

    testClock.offsetMs = 25 * 3_600_000;
    h.stripe.control.advanceClock(25 * 3_600);
    await expect(h.bot.deps.runs.payLine(runId, 'USELLER1')).resolves.toBe('paid');

    const made = h.stripe.control.transfers().filter((t) => t.transfer_group === ref);
    expect(made).toHaveLength(1);
    expect(await runs.line(runId, 'USELLER1')).toMatchObject({ status: 'paid', stripeId: made[0]!.id });
  });
});

describe('the audit log', () => {
  it('when a run schedule and a multi-currency run have been written, then /payout audit renders every entry and the export covers the range', async () => {
    const plan = await requestViaSlack(h, `plan <@${PEOPLE.seller1}|ana> 3.00 eur weekly`);
    await clickApprove(h, plan.message, plan.requestId, PEOPLE.approver1);
    await waitForState(h, plan.requestId, ['completed']);
    const schedule = await requestViaSlack(h, 'schedule run weekly mon 09:00 UTC');
    await clickApprove(h, schedule.message, schedule.requestId, PEOPLE.approver1);
    await waitForState(h, schedule.requestId, ['completed']);
    const run = await h.bot.deps.requests.create({
      kind: 'run',
      teamId: 'T0TEAM',
      requestedBy: PEOPLE.requester,
      description: null,
      run: { source: 'csv', lines: [line('line1', 300_00), line('line2', 250_00, 'usd')] },
    });
    const runMessage = h.slack.messages(CHANNELS.approvals).find((m) => messageText(m).includes(run.id))!;
    await clickApprove(h, runMessage, run.id, PEOPLE.approver1);
    await clickApprove(h, runMessage, run.id, PEOPLE.approver2);
    await eventually(async () => (await h.bot.deps.runs.get(run.id))?.status === 'done' || undefined, {
      timeoutMs: 20_000,
      what: 'the run done',
    });

    await h.sender.slashCommand({ text: 'audit 100', userId: PEOPLE.approver2, channelId: CHANNELS.general });
    const shown = messageText(
      await h.slack.waitFor(() =>
        h.slack.ephemerals(PEOPLE.approver2).find((e) => messageText(e).includes('Audit log')),
      ),
    );
    expect(shown).not.toContain('Something went wrong');
    expect(shown).toContain('schedule.created');
    expect(shown).toContain('€300.00 + $250.00');
    const requested = (await h.bot.deps.audit.latest(100)).find(
      (e) => e.subject === run.id && e.action === 'run.requested',
    );
    expect(requested?.amounts).toEqual([
      { currency: 'eur', amount: 300_00 },
      { currency: 'usd', amount: 250_00 },
    ]);

    const today = new Date().toISOString().slice(0, 10);
    await h.sender.slashCommand({
      text: `audit export ${today}..${today}`,
      userId: PEOPLE.approver2,
      channelId: CHANNELS.general,
    });
    const file = await h.slack.waitFor(
      () => h.slack.files().find((f) => f.filename === `payout-audit-${today}..${today}.csv`),
      { timeoutMs: 10_000 },
    );
    const rows = file.content.toString('utf8').trim().split('\n');
    expect(rows[0]).toBe(
      'time,actor,action,payout_ref,subject,kind,payee,account,amount,currency,amount_minor,state,stripe_id,detail',
    );
    const runRows = rows.filter((r) => r.includes(`,run.requested,,${run.id},`));
    expect(runRows.map((r) => r.split(',').slice(8, 11))).toEqual([
      ['300.00', 'EUR', '30000'],
      ['250.00', 'USD', '25000'],
    ]);
    const linePaid = rows.find((r) => r.includes(`pay_rl.${run.id}.line1`) && r.includes('run.line_paid'))!;
    expect(linePaid.split(',').slice(6, 8)).toEqual([PEOPLE.seller1, sellerAccount]);

    await h.sender.slashCommand({
      text: 'audit export 2001-01-01..2001-01-31',
      userId: PEOPLE.approver2,
      channelId: CHANNELS.general,
    });
    const empty = await h.slack.waitFor(() =>
      h.slack.files().find((f) => f.filename === 'payout-audit-2001-01-01..2001-01-31.csv'),
    );
    expect(empty.content.toString('utf8').trim().split('\n')).toHaveLength(1);
  });

  it('when an export range is not a range of dates, then the person is told the format and nothing is sent', async () => {
    const files = h.slack.files().length;
    await h.sender.slashCommand({
      text: 'audit export 2026-12-31..2026-12-01',
      userId: PEOPLE.approver2,
      channelId: CHANNELS.general,
    });
    await h.slack.waitFor(() =>
      h.slack.ephemerals(PEOPLE.approver2).find((e) => messageText(e).includes('YYYY-MM-DD..YYYY-MM-DD')),
    );
    expect(h.slack.files()).toHaveLength(files);
  });
});
