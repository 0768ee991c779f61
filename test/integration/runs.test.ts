import { type ChildProcess, spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, type Harness, messageText, PEOPLE, startHarness } from '../../emulators/local-stack.js';
import { storeKey } from '../../src/adapters/redis/keys.js';
import { createRedisRunStore } from '../../src/adapters/redis/payout-stores.js';
import { eventually } from '../support/eventually.js';
import { onboardPayableSeller } from '../support/onboarding.js';
import { reconcileViaSlack } from '../support/reconcile.js';
import { clickApprove, requestViaSlack, waitForState } from '../support/requests.js';
import { launchRun } from '../support/runs.js';

let h: Harness;
let sellerAccount: string;
const children: ChildProcess[] = [];

function startWorkerProcess(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      ...h.env,
      ROLE: 'worker',
      PORT: '0',
      WORKER_LOCK_SECONDS: '2',
      LOG_LEVEL: 'warn',
      STRIPE_TRANSFERS_PER_SECOND: '200',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

beforeAll(async () => {
  h = await startHarness({
    env: { ROLE: 'web', SWEEP_INTERVAL_SECONDS: '1' },
    stripe: { balances: { usd: 5_000_00, eur: 1_000_000_00 } },
  });
  sellerAccount = await onboardPayableSeller(h);
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});
afterAll(async () => {
  await h?.stop();
});

describe('payout runs', () => {
  it('when a run of 1,000 transfers loses its worker halfway, then after a restart exactly 1,000 transfers exist and the summary matches Stripe to the cent', async () => {
    const lines = Array.from({ length: 1_000 }, (_, i) => ({
      key: `line${i + 1}`,
      userId: PEOPLE.seller1,
      accountId: sellerAccount,
      money: { amount: 100 + i, currency: 'eur' },
      description: `line ${i + 1}`,
    }));
    const expectedCents = lines.reduce((sum, l) => sum + l.money.amount, 0);
    let worker = startWorkerProcess();
    const run = await launchRun(h, 'run-crash-test', lines, { requestedBy: PEOPLE.requester });
    expect(run.status).toBe('running');
    await eventually(
      async () => ((await h.bot.deps.runs.get(run.id)) && (await countsOf(run.id)).paid >= 400) || undefined,
      { timeoutMs: 60_000, what: '400 lines paid' },
    );
    worker.kill('SIGKILL');
    const atCrash = (await countsOf(run.id)).paid;
    expect(atCrash).toBeLessThan(1_000);

    worker = startWorkerProcess();
    await eventually(async () => (await h.bot.deps.runs.get(run.id))?.status === 'done', {
      timeoutMs: 90_000,
      what: 'run done',
    });
    const transfers = h.stripe.control.transfers().filter((t) => t.transfer_group?.startsWith(`pay_rl.${run.id}.`));
    expect(transfers).toHaveLength(1_000);
    expect(new Set(transfers.map((t) => t.transfer_group)).size).toBe(1_000);
    expect(transfers.reduce((sum, t) => sum + t.amount, 0)).toBe(expectedCents);
    const counts = await countsOf(run.id);
    expect(counts).toMatchObject({ paid: 1_000, failed: 0, pending: 0 });
    expect(counts.paidTotals).toEqual([{ currency: 'eur', amount: expectedCents }]);
    const summary = await h.slack.waitFor(() =>
      h.slack
        .messages(CHANNELS.ops)
        .find((m) => messageText(m).includes('run-crash-test') && messageText(m).includes('Finished')),
    );
    expect(messageText(summary)).toContain('1000 paid');
    expect(await reconcileViaSlack(h)).toMatchObject({ compared: 1_000, differences: 0 });
  }, 120_000);

  it('when Stripe answers 429 to a run going faster than its limit, then every line is paid once, none lost or repeated', async () => {
    startWorkerProcess(); // at 200 transfers/s against a Stripe that allows 20
    h.stripe.control.setRateLimit(20);
    try {
      const before = h.stripe.control.stats().rateLimited;
      const lines = Array.from({ length: 80 }, (_, i) => ({
        key: `l${i}`,
        userId: PEOPLE.seller1,
        accountId: sellerAccount,
        money: { amount: 500 + i, currency: 'eur' },
        description: null,
      }));
      const run = await launchRun(h, 'run-429-test', lines);
      await eventually(async () => (await h.bot.deps.runs.get(run.id))?.status === 'done', {
        timeoutMs: 30_000,
        what: 'run done',
      });
      expect(h.stripe.control.stats().rateLimited - before).toBeGreaterThan(0);
      const transfers = h.stripe.control
        .transfers()
        .filter((t) => t.transfer_group?.startsWith('pay_rl.run-429-test.'));
      expect(transfers).toHaveLength(80);
      expect(new Set(transfers.map((t) => t.transfer_group)).size).toBe(80);
      expect(await countsOf(run.id)).toMatchObject({ paid: 80, failed: 0, pending: 0 });
    } finally {
      h.stripe.control.setRateLimit(undefined);
    }
    expect(await reconcileViaSlack(h)).toMatchObject({ compared: 1_080, differences: 0 });
  }, 60_000);

  it('when the payout plan is approved and run, then every seller in it is paid their amount, with a live progress view', async () => {
    startWorkerProcess();
    const plan = await requestViaSlack(h, `plan <@${PEOPLE.seller1}|ana> 50.00 eur weekly earnings`);
    await clickApprove(h, plan.message, plan.requestId, PEOPLE.approver1);
    await waitForState(h, plan.requestId, ['completed'], 15_000);
    await h.sender.slashCommand({ text: 'plan', userId: PEOPLE.approver2 });
    const listed = await h.slack.waitFor(() =>
      h.slack.ephemerals(PEOPLE.approver2).find((e) => messageText(e).includes('Payout plan')),
    );
    expect(messageText(listed)).toContain('€50.00 (1 seller)');

    const { message, requestId } = await requestViaSlack(h, 'run');
    expect(messageText(message)).toContain('€50.00');
    await clickApprove(h, message, requestId, PEOPLE.approver1);
    await eventually(async () => (await h.bot.deps.runs.get(requestId))?.status === 'done', {
      timeoutMs: 15_000,
      what: 'run done',
    });
    expect(
      h.stripe.control.transfers().filter((t) => t.transfer_group === `pay_rl.${requestId}.${PEOPLE.seller1}`),
    ).toHaveLength(1);
    await h.slack.waitFor(() => messageText(h.slack.message(CHANNELS.approvals, message.ts)).includes('Finished'));
  });

  it('when the balance is short, then the run is held, ops is told the shortfall, and Start pays it after a top-up', async () => {
    startWorkerProcess();
    h.stripe.control.setBalance('eur', 10_00);
    const run = await launchRun(
      h,
      'run-held-test',
      [
        {
          key: PEOPLE.seller1,
          userId: PEOPLE.seller1,
          accountId: sellerAccount,
          money: { amount: 25_00, currency: 'eur' },
          description: null,
        },
      ],
      { source: 'plan' },
    );
    expect(run).toMatchObject({ status: 'held', shortfall: [{ currency: 'eur', amount: 15_00 }] });
    const notice = await h.slack.waitFor(() =>
      h.slack
        .messages(CHANNELS.ops)
        .find((m) => messageText(m).includes('run-held-test') && messageText(m).includes('short by')),
    );
    expect(messageText(notice)).toContain('€15.00');
    expect(
      h.stripe.control.transfers().filter((t) => t.transfer_group?.startsWith('pay_rl.run-held-test.')),
    ).toHaveLength(0);

    h.stripe.control.setBalance('eur', 1_000_00);
    await h.sender.blockAction({
      userId: PEOPLE.approver1,
      actionId: 'run_start',
      value: run.id,
      channelId: CHANNELS.ops,
      messageTs: notice.ts,
    });
    await eventually(async () => (await h.bot.deps.runs.get(run.id))?.status === 'done', {
      timeoutMs: 15_000,
      what: 'run done',
    });
    expect(
      h.stripe.control.transfers().filter((t) => t.transfer_group?.startsWith('pay_rl.run-held-test.')),
    ).toHaveLength(1);
  });

  it('when a line fails, then the summary lists it with its reason and offers to retry only the failed lines', async () => {
    startWorkerProcess();
    const run = await launchRun(
      h,
      'run-partial-test',
      [
        {
          key: 'line1',
          userId: PEOPLE.seller1,
          accountId: sellerAccount,
          money: { amount: 1_00, currency: 'eur' },
          description: null,
        },
        {
          key: 'line2',
          userId: PEOPLE.seller2,
          accountId: 'acct_doesnotexist',
          money: { amount: 2_00, currency: 'eur' },
          description: null,
        },
      ],
      { requestedBy: PEOPLE.requester },
    );
    await eventually(async () => (await h.bot.deps.runs.get(run.id))?.status === 'done', {
      timeoutMs: 15_000,
      what: 'run done',
    });
    const summary = await h.slack.waitFor(() =>
      h.slack
        .messages(CHANNELS.ops)
        .find((m) => messageText(m).includes('run-partial-test') && messageText(m).includes('Failed lines')),
    );
    expect(messageText(summary)).toContain('run_retry');
    await h.sender.blockAction({
      userId: PEOPLE.requester,
      actionId: 'run_retry',
      value: run.id,
      channelId: CHANNELS.ops,
      messageTs: summary.ts,
    });
    const retry = await h.slack.waitFor(() =>
      h.slack.messages(CHANNELS.approvals).find((m) => messageText(m).includes('failed lines again')),
    );
    expect(messageText(retry)).toContain('€2.00');
  });
});

const countsOf = (runId: string) => createRedisRunStore(h.bot.deps.redis).counts(runId);

describe('a CSV batch', () => {
  it('when lines have a bad amount, an unknown seller, a duplicate and a wrong currency, then each is reported by line number and nothing is asked or paid', async () => {
    await h.sender.slashCommand({ text: 'run csv', userId: PEOPLE.requester, channelId: CHANNELS.general });
    const view = await h.slack.waitFor(() => h.slack.views().find((v) => v.callback_id === 'run_csv_modal'));
    const posted = h.slack.messages(CHANNELS.approvals).length;
    const transfers = h.stripe.control.transfers().length;
    const csv = [
      'seller,amount,currency,description',
      `<@${PEOPLE.seller1}|ana>,10.00,eur,ok`,
      `<@${PEOPLE.seller1}|ana>,-3,eur,negative`,
      'UNOBODY,5.00,eur,unknown seller',
      `<@${PEOPLE.seller1}|ana>,10.00,eur,ok`,
      `${sellerAccount},7.00,gbp,not held`,
    ].join('\n');
    const res = await h.sender.viewSubmission({
      userId: PEOPLE.requester,
      callbackId: 'run_csv_modal',
      viewId: view.id,
      values: { csv_text: { text: { type: 'plain_text_input', value: csv } } },
    });
    const errors = JSON.stringify(res.json);
    expect(errors).toContain('response_action');
    for (const line of [3, 4, 5, 6]) expect(errors).toContain(`Line ${line}:`);
    expect(errors).not.toContain('Line 2:');
    await new Promise((r) => setTimeout(r, 200));
    expect(h.slack.messages(CHANNELS.approvals)).toHaveLength(posted);
    expect(h.stripe.control.transfers()).toHaveLength(transfers);
  });

  it('when the CSV is clean, then the whole batch is approved once and paid line by line', async () => {
    startWorkerProcess();
    await h.sender.slashCommand({ text: 'run csv', userId: PEOPLE.requester, channelId: CHANNELS.general });
    const view = await h.slack.waitFor(() =>
      h.slack
        .views()
        .filter((v) => v.callback_id === 'run_csv_modal')
        .at(-1),
    );
    const posted = h.slack.messages(CHANNELS.approvals).length;
    const csv = `<@${PEOPLE.seller1}|ana>,10.00,eur,"first, with a comma"\n${sellerAccount},12.50,eur,second`;
    await h.sender.viewSubmission({
      userId: PEOPLE.requester,
      callbackId: 'run_csv_modal',
      viewId: view.id,
      values: { csv_text: { text: { type: 'plain_text_input', value: csv } } },
    });
    const message = await h.slack.waitFor(() => h.slack.messages(CHANNELS.approvals)[posted]);
    expect(messageText(message)).toContain('€22.50');
    const requestId = /Request `(req_\w+)`/.exec(messageText(message))![1]!;
    await clickApprove(h, message, requestId, PEOPLE.approver1);
    await eventually(async () => (await h.bot.deps.runs.get(requestId))?.status === 'done', {
      timeoutMs: 15_000,
      what: 'batch done',
    });
    const paid = h.stripe.control.transfers().filter((t) => t.transfer_group?.startsWith(`pay_rl.${requestId}.`));
    expect(paid.map((t) => t.amount).sort()).toEqual([1000, 1250]);
  });
  it('when a run request was stored before its lines were kept apart (all of them inline), then an approval still pays every line', async () => {
    startWorkerProcess();
    const lines = [1_000, 1_500, 2_000].map((amount, i) => ({
      key: `line${i + 1}`,
      userId: PEOPLE.seller1,
      accountId: sellerAccount,
      money: { amount, currency: 'eur' },
      description: `old line ${i + 1}`,
    }));
    const request = await h.bot.deps.requests.create({
      kind: 'run',
      teamId: 'T0TEAM',
      requestedBy: PEOPLE.requester,
      description: null,
      run: { source: 'csv', lines },
    });
    // Rewritten as an older version stored it: the lines inline, nothing apart.
    const redis = new Redis(h.env.REDIS_URL!);
    const key = `{payout}:request:${request.id}`;
    const envelope = JSON.parse((await redis.get(key))!) as { v: number; data: { run: object } };
    await redis.set(key, JSON.stringify({ ...envelope, data: { ...envelope.data, run: { source: 'csv', lines } } }));
    await redis.del(`${key}:lines`, `${key}:payees`);
    redis.disconnect();

    const message = h.slack.messages(CHANNELS.approvals).find((m) => messageText(m).includes(request.id))!;
    await clickApprove(h, message, request.id, PEOPLE.approver1);
    await eventually(async () => (await h.bot.deps.runs.get(request.id))?.status === 'done', {
      timeoutMs: 15_000,
      what: 'the old run request paid',
    });
    const paid = h.stripe.control.transfers().filter((t) => t.transfer_group?.startsWith(`pay_rl.${request.id}.`));
    expect(paid.map((t) => t.amount).sort()).toEqual([1_000, 1_500, 2_000]);
  });

  it('when the CSV is attached as a file, then the bot downloads it with the token the manifest’s scopes grant and asks for the batch', async () => {
    await h.sender.slashCommand({ text: 'run csv', userId: PEOPLE.requester, channelId: CHANNELS.general });
    const view = await h.slack.waitFor(() =>
      h.slack
        .views()
        .filter((v) => v.callback_id === 'run_csv_modal')
        .at(-1),
    );
    const posted = h.slack.messages(CHANNELS.approvals).length;
    const file = h.slack.storeFile({
      filename: 'march.csv',
      content: Buffer.from(`<@${PEOPLE.seller1}|ana>,3.00,eur,march\n${sellerAccount},4.00,eur,april\n`),
    });
    const res = await h.sender.viewSubmission({
      userId: PEOPLE.requester,
      callbackId: 'run_csv_modal',
      viewId: view.id,
      values: { csv_file: { file: { type: 'file_input', files: [file] } } },
    });
    expect(res.json, JSON.stringify(res.json)).toBeUndefined();
    const message = await h.slack.waitFor(() => h.slack.messages(CHANNELS.approvals)[posted]);
    expect(messageText(message)).toContain('€7.00');
    expect(h.slack.callsTo('file_download').at(-1)).toMatchObject({ ok: true, token: h.slack.botToken });
  });
});

describe('the run store', () => {
  it('when a launch stops after putting some lines aside and a later one puts all of them aside, then the run is created once with every line, its first ten in order, and nothing left to expire', async () => {
    const store = createRedisRunStore(h.bot.deps.redis);
    const runId = 'run-staged-test';
    const lines = Array.from({ length: 1_234 }, (_, i) => ({
      key: `L${String(i).padStart(4, '0')}`,
      userId: PEOPLE.seller1,
      accountId: sellerAccount,
      money: { amount: 1_00, currency: 'eur' },
      description: null,
      status: 'pending' as const,
      stripeId: null,
      reason: null,
    }));
    await store.stageLines(runId, lines.slice(0, 600));
    expect(await store.get(runId)).toBeUndefined();
    for (let i = 0; i < lines.length; i += 500) await store.stageLines(runId, lines.slice(i, i + 500));
    const run = {
      id: runId,
      teamId: 'T0TEAM',
      source: 'csv' as const,
      requestId: null,
      scheduleId: null,
      requestedBy: null,
      totals: [{ currency: 'eur', amount: 1_234_00 }],
      lineCount: 1_234,
      status: 'new' as const,
      shortfall: [],
      message: null,
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    };
    const headKeys = lines.slice(0, 10).map((l) => l.key);
    expect((await store.create(run, headKeys)).created).toBe(true);
    expect((await store.create(run, headKeys)).created).toBe(false);
    expect((await store.counts(runId)).pending).toBe(1_234);
    expect((await store.firstLines(runId, 10)).map((l) => l.key)).toEqual(headKeys);
    let read = 0;
    for await (const page of store.linePages(runId)) read += page.length;
    expect(read).toBeGreaterThanOrEqual(1_234);
    expect(await h.bot.deps.redis.ttl(storeKey(`run:${runId}:lines`))).toBe(-1);
    expect(await h.bot.deps.redis.exists(storeKey(`run:${runId}:staged`))).toBe(0);
  });
});
