import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, type Harness, messageText, PEOPLE, startHarness } from '../../emulators/local-stack.js';
import { messageProblems } from '../../emulators/slack/block-kit.js';
import { createRedisPlanStore } from '../../src/adapters/redis/payout-stores.js';
import { createRedisRequestStore } from '../../src/adapters/redis/request-store.js';
import { createRedisSellerStore } from '../../src/adapters/redis/seller-store.js';
import type { RequestBase } from '../../src/domain/requests.types.js';
import { eventually } from '../support/eventually.js';
import { countingReads, openTransfer, planEntry, seedPlan, seedSellers, sellerRecord } from '../support/scale.js';

const TEAM = 'T0TEAM';
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: { ROLE: 'web' } });
});
afterAll(async () => {
  await h?.stop();
});

const sellers = () => createRedisSellerStore(h.bot.deps.redis);
const pick = async (value: string) => {
  const res = await h.sender.blockSuggestion({
    userId: PEOPLE.requester,
    actionId: 'seller_picker',
    blockId: 'money_seller',
    value,
    viewCallbackId: 'transfer_modal',
  });
  expect(res.status).toBe(200);
  return (res.json as { options: { text: { text: string }; value: string }[] }).options;
};
const command = async (text: string) => {
  const before = h.slack.ephemerals(PEOPLE.requester).length;
  await h.sender.slashCommand({ text, userId: PEOPLE.requester, channelId: CHANNELS.general });
  return h.slack.waitFor(() => h.slack.ephemerals(PEOPLE.requester)[before]);
};

describe('/payout sellers and /payout plan, a page at a time', () => {
  it('when there is one seller with one plan line, then each list shows it on one page, with no page count and nothing more', async () => {
    const [only] = await seedSellers(h.bot.deps.redis, TEAM, 1, { prefix: 'ONE', name: 'Only' });
    await seedPlan(h.bot.deps.redis, [only!]);
    for (const [text, expected] of [
      ['sellers', '1 in all, 1 payable'],
      ['plan', '€1.00 (1 seller)'],
    ] as const) {
      const reply = await command(text);
      expect(messageProblems(reply)).toEqual([]);
      expect(messageText(reply)).toContain(expected);
      expect(messageText(reply)).toContain(`<@${only!.userId}>`);
      expect(messageText(reply)).not.toMatch(/page|more\./);
    }
  });

  it('when there are 250 sellers and plan lines, then page 1 of 3 shows 100 and how to get the next, the last page the last 50, and a page past it says so', async () => {
    const many = await seedSellers(h.bot.deps.redis, TEAM, 249, { prefix: 'PAGE', name: 'Paged' });
    await seedPlan(h.bot.deps.redis, many);
    const first = await command('sellers');
    expect(messageProblems(first)).toEqual([]);
    expect(messageText(first)).toContain('250 in all, 250 payable (page 1 of 3)');
    expect(messageText(first)).toContain(
      '…and 150 more. `/payout sellers export` sends you all of them as a CSV file; `/payout status @user` shows one seller. `/payout sellers 2` shows the next 100.',
    );
    const last = await command('sellers 3');
    expect(messageText(last)).toContain('(page 3 of 3)');
    expect(messageText(last).match(/<@U/g)).toHaveLength(50);
    expect(messageText(last)).not.toContain('more.');
    expect(messageText(await command('sellers 4'))).toContain(
      'There are only 3 pages of sellers: `/payout sellers 3` is the last.',
    );

    const plan = await command('plan 2');
    expect(messageProblems(plan)).toEqual([]);
    expect(messageText(plan)).toContain('*Payout plan* (250 sellers) (page 2 of 3)');
    expect(messageText(plan).match(/<@U/g)).toHaveLength(100);
    expect(messageText(plan)).toContain(
      '…and 50 more. `/payout plan export` sends you the whole plan as a CSV file. `/payout plan 3` shows the next 100.',
    );
    // Every line counted in the totals, not only this page's: 100 + (100 + 101 + … + 348).
    const cents = 100 + many.reduce((sum, _, i) => sum + 100 + i, 0);
    expect(cents).toBe(55_876);
    expect(messageText(plan)).toContain('€558.76 (250 sellers)');
  });

  it('when a page is read, then only that page’s records are read from Redis, and the plan totals follow a changed and a removed line', async () => {
    const counting = countingReads(h.bot.deps.redis);
    const page = await createRedisSellerStore(counting.redis).page(TEAM, 100, 100);
    expect(page.sellers).toHaveLength(100);
    expect(counting.keysRead()).toBeLessThanOrEqual(101);
    counting.reset();
    const plan = createRedisPlanStore(counting.redis);
    const before = await plan.page(TEAM, 200, 100);
    expect(before.entries).toHaveLength(50);
    expect(counting.keysRead()).toBeLessThanOrEqual(51);
    const [changed, removed] = before.entries;
    await plan.set({ ...changed!, money: { amount: changed!.money.amount + 1_000, currency: 'usd' } });
    await plan.remove(TEAM, removed!.userId);
    const after = await plan.page(TEAM, 0, 1);
    expect(after.total).toBe(249);
    const eur = before.totals.find((t) => t.currency === 'eur')!;
    expect(after.totals).toEqual([
      { currency: 'eur', amount: eur.amount - changed!.money.amount - removed!.money.amount, count: 248 },
      { currency: 'usd', amount: changed!.money.amount + 1_000, count: 1 },
    ]);
  });

  it('when a scheduled run reads a 1,203-line plan a page at a time while lines change, then every line there throughout is read exactly once, in pages of at most 500', async () => {
    const team = 'T0PAGES';
    const sellers = await seedSellers(h.bot.deps.redis, team, 1_203, { prefix: 'PG' });
    await seedPlan(h.bot.deps.redis, sellers);
    const plan = createRedisPlanStore(h.bot.deps.redis);
    const read: string[] = [];
    const sizes: number[] = [];
    const removed = sellers[900]!.userId;
    for await (const page of plan.pages(team, 500)) {
      sizes.push(page.length);
      read.push(...page.map((e) => e.userId));
      if (sizes.length === 1) {
        // Between two pages: a line not yet read leaves, and lines arrive before and after the one the next page starts at.
        await plan.remove(team, removed);
        for (const userId of ['UPG000000A', 'UPG999999'])
          await plan.set(planEntry(sellerRecord(team, userId, 'Late'), 100));
      }
    }
    expect(sizes).toEqual([500, 500, 203]);
    expect(new Set(read).size).toBe(read.length);
    expect(read).not.toContain(removed);
    expect(read).toEqual(expect.arrayContaining(sellers.map((s) => s.userId).filter((u) => u !== removed)));
    expect(read).toContain('UPG999999');
  });

  it('when a plan was stored before its index existed, then the first page indexes it once, totals included', async () => {
    const redis = h.bot.deps.redis;
    const legacy = [sellerRecord('T0LEGACY', 'UL1', 'a'), sellerRecord('T0LEGACY', 'UL2', 'b')];
    for (const [i, s] of legacy.entries())
      await redis.hset('{payout}:plan:T0LEGACY', s.userId, JSON.stringify(planEntry(s, 1_000 * (i + 1))));
    for (let i = 0; i < 2; i++) {
      const page = await createRedisPlanStore(redis).page('T0LEGACY', 0, 10);
      expect(page).toMatchObject({ total: 2, totals: [{ currency: 'eur', amount: 3_000, count: 2 }] });
      expect(page.entries.map((e) => e.userId)).toEqual(['UL1', 'UL2']);
    }
  });
});

describe('the seller picker', () => {
  beforeAll(async () => {
    const store = sellers();
    for (const [userId, name, state] of [
      ['UANA', 'Ána López', 'payable'],
      ['UANABEL', 'ANABEL Ortiz', 'payable'],
      ['UANAX', 'Ana Unfinished', 'invited'],
      ['UBO', 'Bo Chen', 'payable'],
      ['UZOE', 'Zoë Ångström', 'payable'],
    ] as const) {
      await store.createIfAbsent(sellerRecord(TEAM, userId, name, state));
    }
  });

  it('when a name is typed in any case, with or without accents, then the payable sellers whose name or a word of it starts so are offered', async () => {
    const values = async (typed: string) => (await pick(typed)).map((o) => o.value).sort();
    expect(await values('ana')).toEqual(['UANA', 'UANABEL']);
    expect(await values('ÁNA L')).toEqual(['UANA']);
    expect(await values('lopez')).toEqual(['UANA']);
    expect(await values('LÓP')).toEqual(['UANA']);
    expect(await values('zoe angs')).toEqual(['UZOE']);
    expect(await values('acct_ubo')).toEqual(['UBO']);
    expect(await values('nobody')).toEqual([]);
    expect((await pick('ana')).map((o) => o.text.text)).toContain('Ána López (acct_uana)');
  });

  it('when more than 100 sellers match, then exactly 100 are offered, within Slack’s option limits', async () => {
    await seedSellers(h.bot.deps.redis, TEAM, 130, { prefix: 'MASS', name: 'Massimo' });
    const options = await pick('massimo');
    expect(options).toHaveLength(100);
    expect(new Set(options.map((o) => o.value)).size).toBe(100);
    for (const o of options) expect(o.text.text.length).toBeLessThanOrEqual(75);
    expect(await pick('')).toHaveLength(100);
  });

  it('when a seller is renamed or stops being payable, then the picker follows at once', async () => {
    await sellers().update(TEAM, 'UBO', (s) => ({ ...s, displayName: 'Bob Marley' }));
    expect((await pick('bo')).map((o) => o.value)).toEqual(['UBO']);
    expect(await pick('chen')).toEqual([]);
    expect((await pick('marl')).map((o) => o.value)).toEqual(['UBO']);
    await sellers().update(TEAM, 'UBO', (s) => ({ ...s, state: 'restricted' }));
    expect(await pick('marl')).toEqual([]);
    await sellers().update(TEAM, 'UBO', (s) => ({ ...s, state: 'payable' }));
    expect((await pick('marl')).map((o) => o.value)).toEqual(['UBO']);
  });

  it('when sellers were stored before the index existed, then the first search indexes them, and indexing again changes nothing', async () => {
    const redis = h.bot.deps.redis;
    const old = sellerRecord('T0LEGACY', 'UOLD', 'Öld Timer');
    await redis.set('{payout}:seller:T0LEGACY:UOLD', JSON.stringify({ v: 3, data: old }));
    await redis.sadd('{payout}:sellers:T0LEGACY', 'UOLD');
    for (let i = 0; i < 2; i++) {
      expect((await createRedisSellerStore(redis).findPayable('T0LEGACY', 'old', 100)).map((s) => s.userId)).toEqual([
        'UOLD',
      ]);
      expect(await redis.zcard('{payout}:sellers:T0LEGACY:names')).toBe(4); // "old timer", "timer", the user id and the account id
    }
    expect(await createRedisSellerStore(redis).page('T0LEGACY', 0, 10)).toMatchObject({ total: 1, payable: 1 });
  });
});

describe('the open-requests index', () => {
  const openIds = async () => (await h.bot.deps.redis.zrange('{payout}:requests:open', 0, -1)).sort();

  it('when requests are approved, executed, completed, rejected, failed and expired, then the index holds exactly those still open', async () => {
    const store = createRedisRequestStore(h.bot.deps.redis);
    const now = new Date();
    const ids = [
      'req_ix_done',
      'req_ix_rejected',
      'req_ix_failed',
      'req_ix_expiring',
      'req_ix_waiting',
      'req_ix_executing',
    ];
    for (const id of ids)
      await store.create(openTransfer(id, now, id === 'req_ix_expiring' ? -1 : 86_400_000), 'UREQUESTER');
    const move = (id: string, change: Partial<RequestBase>) =>
      store.transition(id, (r) => ({ ...r, ...change, updatedAt: new Date().toISOString() }), {
        actor: 'test',
        action: 'test.move',
      });
    for (const id of ['req_ix_done', 'req_ix_failed', 'req_ix_executing']) await move(id, { state: 'approved' });
    for (const id of ['req_ix_done', 'req_ix_failed', 'req_ix_executing'])
      await move(id, { state: 'executing', executingSince: new Date().toISOString() });
    await move('req_ix_done', { state: 'completed' });
    await move('req_ix_failed', { state: 'failed' });
    await move('req_ix_rejected', { state: 'rejected' });
    expect((await openIds()).filter((id) => id.startsWith('req_ix_'))).toEqual([
      'req_ix_executing',
      'req_ix_expiring',
      'req_ix_waiting',
    ]);

    const swept = await h.bot.deps.execution.sweep({ approvedGraceMs: 60_000, executingTimeoutMs: 600_000 });
    expect(swept.expired).toBeGreaterThanOrEqual(1);
    expect((await store.get('req_ix_expiring'))?.state).toBe('expired');
    expect((await openIds()).filter((id) => id.startsWith('req_ix_'))).toEqual(['req_ix_executing', 'req_ix_waiting']);
    const open = await store.open();
    expect(open.map((r) => r.id).sort()).toEqual(await openIds());
  });

  it('when 2,000 requests are closed and 3 are open, then listing open requests (the sweeper, "waiting for you", "my requests") reads only the 3', async () => {
    const store = createRedisRequestStore(h.bot.deps.redis);
    const now = new Date();
    for (let i = 0; i < 2_000; i += 200) {
      await Promise.all(
        Array.from({ length: 200 }, async (_, k) => {
          const id = `req_closed_${i + k}`;
          await store.create(openTransfer(id, now), 'UREQUESTER');
          await store.transition(id, (r) => ({ ...r, state: 'rejected', updatedAt: now.toISOString() }), {
            actor: 'test',
            action: 'test.reject',
          });
        }),
      );
    }
    await store.create(openTransfer('req_open_third', now), 'UREQUESTER');
    expect(await openIds()).toHaveLength(3);
    const counting = countingReads(h.bot.deps.redis);
    const open = await createRedisRequestStore(counting.redis).open();
    expect(open).toHaveLength(3);
    expect(counting.keysRead()).toBe(3);
  });
});

describe('a large CSV batch', () => {
  const view = async () => {
    await h.sender.slashCommand({ text: 'run csv', userId: PEOPLE.requester, channelId: CHANNELS.general });
    return h.slack.waitFor(() =>
      h.slack
        .views()
        .filter((v) => v.callback_id === 'run_csv_modal')
        .at(-1),
    );
  };
  const csvOf = (count: number, bad?: number) =>
    Array.from({ length: count }, (_, i) =>
      i + 1 === bad
        ? 'UNOBODY,1.00,eur,unknown'
        : `UPAGE${String(i % 249).padStart(6, '0')},${(1 + i / 100).toFixed(2)},eur,line ${i + 1}`,
    ).join('\n');
  const submit = (viewId: string, content: string) =>
    h.sender.viewSubmission({
      userId: PEOPLE.requester,
      callbackId: 'run_csv_modal',
      viewId,
      values: {
        csv_file: {
          file: {
            type: 'file_input',
            files: [h.slack.storeFile({ filename: 'big.csv', content: Buffer.from(content) })],
          },
        },
      },
    });

  it('when a 3,000-line file is submitted, then the modal says it is checking at once, and the run request follows, once, however often it is submitted', async () => {
    const opened = await view();
    const posted = h.slack.messages(CHANNELS.approvals).length;
    const res = await submit(opened.id, csvOf(3_000));
    expect(res.json).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(res.json)).toContain('Checking every line');
    const card = await h.slack.waitFor(() => h.slack.messages(CHANNELS.approvals)[posted], { timeoutMs: 20_000 });
    expect(messageText(card)).toContain('3000 payments');
    await eventually(
      async () => messageText({ blocks: h.slack.view(opened.id)?.blocks }).includes('Asked for approval') || undefined,
      { what: 'the modal says it was asked' },
    );
    const again = await submit(opened.id, csvOf(3_000));
    expect(JSON.stringify(again.json)).toContain('Already received');
    await new Promise((r) => setTimeout(r, 500));
    expect(h.slack.messages(CHANNELS.approvals)).toHaveLength(posted + 1);
  });

  it('when a large file has a bad line, then the first problems arrive with their line numbers, in the modal and as a message, and nothing is asked', async () => {
    const opened = await view();
    const posted = h.slack.messages(CHANNELS.approvals).length;
    const replies = h.slack.ephemerals(PEOPLE.requester).length;
    const res = await submit(opened.id, csvOf(3_000, 2_500));
    expect(JSON.stringify(res.json)).toContain('Checking every line');
    const reply = await h.slack.waitFor(
      () =>
        h.slack
          .ephemerals(PEOPLE.requester)
          .slice(replies)
          .find((e) => messageText(e).includes('Line 2500:')),
      { timeoutMs: 20_000 },
    );
    expect(messageText(reply)).toContain('Nothing was asked');
    expect(messageText({ blocks: h.slack.view(opened.id)?.blocks })).toContain('Line 2500:');
    expect(h.slack.messages(CHANNELS.approvals)).toHaveLength(posted);
  });
});
