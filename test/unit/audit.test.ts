import type { Redis } from 'ioredis';
import RedisMock from 'ioredis-mock';
import { describe, expect, it } from 'vitest';
import { messageProblems } from '../../emulators/slack/block-kit.js';
import { AUDIT_STREAM, createRedisAuditLog } from '../../src/adapters/redis/request-store.js';
import type { AuditEntry } from '../../src/domain/audit.js';
import { auditList } from '../../src/slack/blocks/audit.js';

const AT = '2026-12-06T10:00:00.000Z';
const eur = { amount: 300_00, currency: 'eur' };
const usd = { amount: 250_00, currency: 'usd' };
const payee = { userId: 'USELLER1', accountId: 'acct_1' };

/** One entry of every action the code writes (grep `action:` and the store's `${kind}.requested`), with the money it carries. */
const ACTIONS: [string, Partial<AuditEntry>][] = [
  ...['topup', 'transfer', 'plan', 'schedule', 'resume', 'run'].map((kind): [string, Partial<AuditEntry>] => [
    `${kind}.requested`,
    { kind, amounts: kind === 'run' ? [eur, usd] : [eur] },
  ]),
  ...[
    'request.posted',
    'request.approval',
    'request.rejected',
    'request.expired',
    'request.executing',
    'request.failed',
    'request.completed',
    'request.withdrawn',
  ].map((action): [string, Partial<AuditEntry>] => [action, { payoutRef: 'pay_rq.req_1', payee }]),
  ...['request.succeeded', 'request.failed', 'request.canceled', 'request.reversed', 'request.pending'].map(
    (action): [string, Partial<AuditEntry>] => [action, { actor: 'stripe', stripeId: 'tu_1' }],
  ),
  ['run.line_paid', { payoutRef: 'pay_rl.req_2.USELLER1', payee, stripeId: 'tr_1' }],
  ['run.line_failed', { payoutRef: 'pay_rl.req_2.line2', payee, detail: 'balance too low' }],
  ['run.line_reversed', { payoutRef: 'pay_rl.req_2.USELLER1', payee, actor: 'stripe' }],
  ...['schedule.created', 'schedule.active', 'schedule.paused', 'schedule.deleted', 'schedule.run_started'].map(
    (action): [string, Partial<AuditEntry>] => [action, { kind: 'schedule-run', amounts: [] }],
  ),
  ...[
    'schedule.topup_created',
    'schedule.topup_failed',
    'schedule.topup_skipped',
    'schedule.topup_succeeded',
    'schedule.topup_reversed',
  ].map((action): [string, Partial<AuditEntry>] => [
    action,
    { kind: 'schedule-topup', payoutRef: 'pay_st.sch_1-2026-12-07', amounts: [usd] },
  ]),
  ['plan.removed', { kind: 'plan', payee }],
];

const entry = (action: string, extra: Partial<AuditEntry>, i: number): AuditEntry & { id: string } => ({
  id: `${i}-0`,
  at: AT,
  actor: 'UAPPROVER1',
  action,
  subject: 'req_1',
  kind: 'transfer',
  amounts: [eur],
  state: 'completed',
  ...extra,
});

describe('the audit list', () => {
  it('when the log holds one entry of every action kind, including schedules and multi-currency runs, then each renders with its money, within Block Kit', () => {
    const entries = ACTIONS.map(([action, extra], i) => entry(action, extra, i));
    const message = auditList(entries);
    const text = JSON.stringify(message.blocks);
    expect(messageProblems(message)).toEqual([]);
    for (const [action] of ACTIONS) expect(text).toContain(action);
    expect(text).toContain('€300.00 + $250.00');
    expect(text).toContain('pay_st.sch_1-2026-12-07');
    expect(text).not.toContain('could not read');
  });

  it('when an entry carries no money, or money this code cannot format, then it is shown without failing the others', () => {
    const message = auditList([
      entry('schedule.created', { amounts: [] }, 1),
      entry('request.completed', { amounts: [{ amount: 1, currency: 'not-a-currency' }] }, 2),
      entry('request.approval', {}, 3),
    ]);
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('schedule.created');
    expect(text).toContain('—');
    expect(text).toContain('2-0');
    expect(text).toContain('could not read');
    expect(text).toContain('request.approval');
  });
});

describe('entries written before this version', () => {
  it('when the stream holds an entry with one amount, or the run schedule entry with amount 0 and currency "", then it reads as amounts and renders', async () => {
    const redis = new RedisMock();
    const log = createRedisAuditLog(redis as unknown as Redis);
    const legacy = {
      at: AT,
      actor: 'system',
      action: 'schedule.created',
      requestId: 'sch_1',
      kind: 'schedule-run',
      amount: 0,
      currency: '',
      state: 'active',
    };
    await redis.xadd(AUDIT_STREAM, '*', 'entry', JSON.stringify(legacy));
    await redis.xadd(
      AUDIT_STREAM,
      '*',
      'entry',
      JSON.stringify({
        ...legacy,
        action: 'request.completed',
        requestId: 'req_9',
        kind: 'transfer',
        amount: 12_00,
        currency: 'eur',
      }),
    );
    const entries = await log.latest(10);
    expect(entries.map((e) => [e.subject, e.amounts])).toEqual([
      ['sch_1', []],
      ['req_9', [{ amount: 12_00, currency: 'eur' }]],
    ]);
    expect(JSON.stringify(auditList(entries).blocks)).toContain('€12.00');
  });
});
