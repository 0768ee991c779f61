import { describe, expect, it } from 'vitest';
import { messageProblems, viewProblems } from '../../emulators/slack/block-kit.js';
import type { AuditEntry } from '../../src/domain/audit.js';
import { addDays } from '../../src/domain/business-days.js';
import { projectFunds } from '../../src/domain/forecast.js';
import type { PlanEntry, Run, RunLine, Schedule } from '../../src/domain/payouts.types.js';
import { type PayoutRequest, summarizeRun } from '../../src/domain/requests.types.js';
import type { Seller } from '../../src/domain/sellers.types.js';
import { auditList } from '../../src/slack/blocks/audit.js';
import { type SlackMessage, section } from '../../src/slack/blocks/common.js';
import { forecastMessage } from '../../src/slack/blocks/funding.js';
import { HELD_ON_HOME, homeView, pendingMessage } from '../../src/slack/blocks/home.js';
import { clip } from '../../src/slack/blocks/limits.js';
import { listBlocks } from '../../src/slack/blocks/list.js';
import { planList, runProgressMessage, scheduleList } from '../../src/slack/blocks/payouts.js';
import { approvalMessage } from '../../src/slack/blocks/requests.js';
import { sellerList } from '../../src/slack/blocks/sellers.js';
import { requestBase } from '../support/request-fixtures.js';

// Free text at its worst: long, and every character escaped by escapeMrkdwn (so it grows fourfold).
const HOSTILE = '<!channel> & '.repeat(400);
const AT = '2026-03-02T09:00:00.000Z';
const userId = (i: number) => `U${String(i).padStart(9, '0')}`;
const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

const planEntry = (i: number): PlanEntry => ({
  teamId: 'T0TEAM',
  userId: userId(i),
  accountId: `acct_${i}`,
  money: { amount: 1_000 + i, currency: i % 2 ? 'eur' : 'usd' },
  description: HOSTILE,
  approvedBy: ['U0APPROVER'],
  requestId: `req_${i}`,
  updatedAt: AT,
});
const seller = (i: number): Seller => ({
  teamId: 'T0TEAM',
  userId: userId(i),
  accountId: `acct_${i}`,
  displayName: HOSTILE,
  country: 'US',
  email: null,
  state: 'action_required',
  detailsSubmitted: true,
  transfersCapability: 'inactive',
  payoutsEnabled: false,
  currentlyDue: times(40, (k) => `individual.verification.document_${k}`),
  disabledReason: 'requirements.past_due',
  everPayable: false,
  invitedBy: 'U0OPS',
  invitedAt: AT,
  updatedAt: AT,
});
const schedule = (i: number): { schedule: Schedule; next: Date | undefined } => ({
  schedule: {
    id: `sch_${i}`,
    teamId: 'T0TEAM',
    action: 'topup',
    time: {
      kind: 'weekly',
      pattern: '0 9 * * 1',
      tz: 'Europe/Paris',
      granularity: 'day',
      label: 'every Monday at 09:00 (Europe/Paris)',
    },
    money: { amount: 2_000_00, currency: 'usd' },
    description: HOSTILE,
    status: i % 2 ? 'paused' : 'active',
    requestedBy: 'U0OPS',
    approvedBy: ['U0APPROVER'],
    activeSince: AT,
    updatedAt: AT,
  },
  next: new Date(AT),
});
const failedLine = (i: number): RunLine => ({
  key: `line${i}`,
  userId: userId(i),
  accountId: `acct_${i}`,
  money: { amount: 500, currency: 'eur' },
  description: HOSTILE,
  status: 'failed',
  stripeId: null,
  reason: HOSTILE,
});
const auditEntry = (i: number): AuditEntry & { id: string } => ({
  id: `${i}-0`,
  at: AT,
  actor: userId(i),
  action: 'request.failed',
  subject: `req_${i}`,
  payoutRef: `pay_rq.req_${i}`,
  kind: 'transfer',
  amounts: [
    { amount: 500, currency: 'eur' },
    { amount: 700, currency: 'usd' },
  ],
  payee: { userId: userId(i), accountId: `acct_${i}` },
  state: 'failed',
  stripeId: `tr_${i}`,
  detail: HOSTILE,
});
const run: Run = {
  id: 'run_big',
  teamId: 'T0TEAM',
  source: 'csv',
  requestId: 'req_run',
  scheduleId: null,
  requestedBy: 'U0OPS',
  totals: [{ amount: 5_000_00, currency: 'eur' }],
  lineCount: 0,
  status: 'done',
  shortfall: [],
  message: null,
  createdAt: AT,
  updatedAt: AT,
};
const request = (kind: 'run' | 'transfer' | 'plan' | 'topup', lines: number): PayoutRequest => {
  const base = requestBase(AT, {
    id: 'req_big',
    teamId: 'T0TEAM',
    requestedBy: 'U0OPS',
    money: { amount: 500, currency: 'eur' },
    totals: [{ amount: 500 * lines, currency: 'eur' }],
    description: HOSTILE,
    availableAtRequest: { amount: 0, currency: 'eur' },
    requiredApprovals: 2,
    rejection: { userId: 'U0APPROVER', reason: HOSTILE, at: AT },
  });
  if (kind === 'run')
    return {
      ...base,
      kind,
      run: summarizeRun({
        source: 'csv',
        lines: times(lines, (i) => ({
          key: `line${i}`,
          userId: userId(i),
          accountId: `acct_${i}`,
          money: { amount: 500, currency: 'eur' },
          description: HOSTILE,
        })),
      }),
    };
  if (kind === 'topup') return { ...base, kind, statementDescriptor: null };
  const destination = { userId: userId(1), accountId: 'acct_1' };
  return kind === 'plan' ? { ...base, kind, destination } : { ...base, kind, destination };
};

/** Each list, at a size, and how a person gets what it leaves out. */
const LISTS: { name: string; sizes: number[]; render: (n: number) => SlackMessage; rest: string }[] = [
  {
    name: '/payout plan',
    sizes: [1, 100, 5_000, 50_000],
    render: (n) =>
      planList({
        entries: times(Math.min(n, 100), planEntry),
        total: n,
        totals: [{ currency: 'eur', amount: 1_000 * n, count: n }],
      }),
    rest: '`/payout plan export`',
  },
  {
    name: '/payout sellers',
    sizes: [1, 100, 5_000, 50_000],
    render: (n) => sellerList({ sellers: times(Math.min(n, 100), seller), total: n, payable: 0 }),
    rest: '`/payout sellers export`',
  },
  {
    name: '/payout schedules',
    sizes: [1, 100, 5_000],
    render: (n) => scheduleList(times(n, schedule), 'America/New_York'),
    rest: '`/payout schedules 2`',
  },
  {
    name: "a run's failed lines",
    sizes: [1, 100, 5_000, 50_000],
    render: (n) =>
      runProgressMessage(
        { ...run, lineCount: n },
        { pending: 0, paid: 0, failed: n, paidTotals: [], reversedTotals: [] },
        times(n, failedLine),
      ),
    rest: '*Failed lines as CSV*',
  },
  {
    name: 'the audit list',
    sizes: [1, 100, 5_000],
    render: (n) => auditList(times(n, auditEntry)),
    rest: '`/payout audit export`',
  },
  {
    name: "a running run's card (who gets what)",
    sizes: [1, 11, 50_000],
    render: (n) =>
      runProgressMessage(
        { ...run, status: 'running', lineCount: n, approvedBy: ['U0APPROVER', 'U0APPROVER2'] },
        { pending: n, paid: 0, failed: 0, paidTotals: [], reversedTotals: [] },
        [],
        times(Math.min(n, 10), failedLine),
      ),
    rest: 'The CSV file has every line.',
  },
];

describe("a run's final card", () => {
  it('when a run of 50,000 lines ends with every line failed, then its card shows the first 10 lines, who asked and approved, and the failed lines, within Block Kit limits', () => {
    const message = runProgressMessage(
      { ...run, lineCount: 50_000, approvedBy: ['U0APPROVER'] },
      { pending: 0, paid: 0, failed: 50_000, paidTotals: [], reversedTotals: [] },
      times(50_000, failedLine),
      times(10, failedLine),
    );
    expect(messageProblems(message)).toEqual([]);
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('…and 49990 more. The CSV file has every line.');
    expect(text).toContain('Requested by <@U0OPS> · approved by <@U0APPROVER>');
    expect(text).toContain('*Failed lines as CSV*');
  });
});

describe('every list fits Slack’s limits by construction', () => {
  for (const list of LISTS) {
    for (const size of list.sizes) {
      it(`when ${list.name} has ${size} items, then its message is valid Block Kit, and what it leaves out is counted with the way to get it`, () => {
        const message = list.render(size);
        expect(messageProblems(message)).toEqual([]);
        const text = JSON.stringify(message.blocks);
        const more = /…and (\d+) more\. ([^"]*)/.exec(text);
        if (size === 1) expect(more).toBeNull();
        if (more) expect(more[2]).toContain(list.rest);
        if (size >= 5_000) expect(Number(more?.[1])).toBeGreaterThan(0);
      });
    }
  }

  for (const size of [1, 100, 5_000]) {
    it(`when a run or CSV batch of ${size} lines, or a request with a long description and reason, waits for approval, then its card is valid Block Kit`, () => {
      for (const kind of ['run', 'transfer', 'plan', 'topup'] as const) {
        expect(messageProblems(approvalMessage(request(kind, size)))).toEqual([]);
        expect(messageProblems(approvalMessage({ ...request(kind, size), state: 'rejected' }))).toEqual([]);
      }
    });
  }

  it('when pages of 50,000 sellers and plan lines are asked for, then each says which of 500 it is, the next page is named until the last, and a page past it says so', () => {
    const sellers = (page: number) =>
      sellerList({ sellers: times(100, (i) => seller((page - 1) * 100 + i)), total: 50_000, payable: 0 }, page);
    const plan = (page: number) =>
      planList(
        {
          entries: times(100, (i) => planEntry((page - 1) * 100 + i)),
          total: 50_000,
          totals: [{ currency: 'eur', amount: 5_000_000, count: 50_000 }],
        },
        page,
      );
    for (const message of [sellers(2), plan(2), sellers(500), plan(500)]) expect(messageProblems(message)).toEqual([]);
    expect(JSON.stringify(sellers(2).blocks)).toContain('(page 2 of 500)');
    expect(JSON.stringify(sellers(2).blocks)).toContain(
      '…and 49800 more. `/payout sellers export` sends you all of them as a CSV file; `/payout status @user` shows one seller. `/payout sellers 3` shows the next 100.',
    );
    expect(JSON.stringify(plan(2).blocks)).toContain(
      '…and 49800 more. `/payout plan export` sends you the whole plan as a CSV file. `/payout plan 3` shows the next 100.',
    );
    expect(JSON.stringify(sellers(500).blocks)).toContain('(page 500 of 500)');
    expect(JSON.stringify(sellers(500).blocks)).not.toContain('more.');
    expect(JSON.stringify(plan(500).blocks)).not.toContain('more.');
    expect(sellerList({ sellers: [], total: 50_000, payable: 0 }, 501).text).toContain(
      'There are only 500 pages of sellers: `/payout sellers 500` is the last.',
    );
  });

  it('when the second page of 5,000 schedules is asked for, then it shows schedules 21 to 40 with their buttons and points to page 3', () => {
    const message = scheduleList(times(5_000, schedule), undefined, 2);
    expect(messageProblems(message)).toEqual([]);
    const ids = JSON.stringify(message.blocks).match(/schedule_sch_\d+/g);
    expect(ids).toEqual(times(20, (i) => `schedule_sch_${20 + i}`));
    expect(JSON.stringify(message.blocks)).toContain('…and 4960 more. `/payout schedules 3`');
  });
});

describe('the Home tab fits by construction', () => {
  for (const size of [0, 1, 5_000]) {
    it(`when ${size} requests wait, ${size} are mine, and as many held payments, freezes and schedules exist, then the Home tab and /payout pending are valid Block Kit`, () => {
      const held = (i: number) => ({
        hold: {
          payoutRef: `pay_rl.run_${i}.line${i}`,
          money: { amount: 100_00, currency: 'eur' },
          accountId: `acct_${i}`,
          which: 'seller' as const,
          limit: { amount: 300_00, currency: 'eur' },
          day: '2026-03-02',
        },
        payee: userId(i),
      });
      const freeze = (i: number) => ({
        scope: { kind: 'seller', userId: userId(i), accountId: `acct_${i}` } as const,
        by: 'U0APPROVER',
        reason: HOSTILE,
        at: AT,
      });
      const view = homeView({
        userId: 'U0APPROVER',
        approver: {
          waiting: times(size, (i) => ({ ...request('transfer', 1), id: `req_${i}` })),
          held: { holds: times(Math.min(size, HELD_ON_HOME), held), total: size },
          freezes: times(size, freeze),
          balances: [{ amount: 1, currency: 'eur' }],
          schedules: times(size, schedule),
          reconcile: undefined,
        },
        mine: times(size, () => request('run', 3)),
      });
      expect(viewProblems(view as unknown as Record<string, unknown>)).toEqual([]);
      expect(view.blocks.length).toBeLessThanOrEqual(89);
      expect(
        messageProblems(pendingMessage(times(size, (i) => ({ ...request('transfer', 1), id: `req_${i}` })))),
      ).toEqual([]);
    });
  }
});

describe('listBlocks and clip', () => {
  it('when rows exactly fill the blocks allowed, then all are shown and none is cut', () => {
    const blocks = listBlocks(
      times(50, (i) => i),
      (i) => [section(`row ${i}`)],
      { maxBlocks: 50, moreLabel: 'rest' },
    );
    expect(blocks).toHaveLength(50);
    expect(JSON.stringify(blocks)).not.toContain('more.');
  });

  it('when text rows overflow, then they are packed into sections under 3,000 characters and the rest is counted', () => {
    const blocks = listBlocks(
      times(1_000, (i) => i),
      (i) => `${'x'.repeat(290)} ${i}`,
      { maxBlocks: 5, moreLabel: 'Ask for the CSV.' },
    );
    expect(blocks).toHaveLength(5);
    expect(messageProblems({ blocks })).toEqual([]);
    expect(JSON.stringify(blocks.at(-1))).toContain('…and 960 more. Ask for the CSV.'); // 4 sections of 10 rows of about 294 characters
  });

  it('when one row is very long, then it is clipped to a line or two and the rows after it still show', () => {
    const blocks = listBlocks(['a'.repeat(10_000), 'second'], (row) => row, { maxBlocks: 5, moreLabel: 'rest' });
    expect(blocks).toHaveLength(1);
    expect(JSON.stringify(blocks)).toContain(`${'a'.repeat(299)}…\\nsecond`);
  });

  it('when clipped text would end inside a mention, a date token or an escape, then the cut comes before it', () => {
    expect(clip(`${'a'.repeat(10)}<@U123456>`, 15)).toBe(`${'a'.repeat(10)}…`);
    expect(clip(`${'a'.repeat(10)}&amp;&amp;`, 14)).toBe(`${'a'.repeat(10)}…`);
    expect(clip(`${'a'.repeat(10)}😀😀`, 12)).toBe(`${'a'.repeat(10)}…`);
    expect(clip('short', 15)).toBe('short');
  });
});

describe('the funding forecast', () => {
  it('when 60 days move money in many currencies, with long labels, then the forecast is valid Block Kit', () => {
    const currencies = [
      'usd',
      'eur',
      'gbp',
      'jpy',
      'chf',
      'sek',
      'nok',
      'dkk',
      'pln',
      'czk',
      'huf',
      'ron',
      'bgn',
      'aud',
      'cad',
      'nzd',
      'sgd',
      'hkd',
      'mxn',
      'brl',
    ];
    const departures = currencies.flatMap((currency) =>
      times(60, (i) => ({
        day: addDays('2026-12-01', i),
        money: { amount: 1_000_00, currency },
        label: { kind: 'scheduled_run' as const, schedule: HOSTILE },
      })),
    );
    for (const set of [currencies.slice(0, 1), currencies.slice(0, 3), currencies]) {
      const message = forecastMessage({
        at: new Date(AT),
        today: '2026-12-01',
        days: 60,
        topupCurrency: 'usd',
        settlementDays: 6,
        currencies: projectFunds({
          today: '2026-12-01',
          days: 60,
          available: [],
          arrivals: [],
          departures: departures.filter((d) => set.includes(d.money.currency)),
          buffer: new Map(),
          settlementDays: 6,
          holidays: new Set(),
        }),
      });
      expect(messageProblems(message)).toEqual([]);
    }
  });
});
