import { describe, expect, it, vi } from 'vitest';
import type { AuditEntry } from '../../src/domain/audit.js';
import { createBatchIntake } from '../../src/domain/batch-intake.js';
import { createDeliveries } from '../../src/domain/deliveries.js';
import type { PlanEntry } from '../../src/domain/payouts.types.js';
import { createPlanService } from '../../src/domain/plan.js';
import type { PersonalFiles } from '../../src/domain/ports.js';
import { createAuditService } from '../../src/domain/reports.js';
import { createTreasury } from '../../src/domain/treasury.js';
import { parseUserMention } from '../../src/slack/mrkdwn.js';
import { memoryAudit, memoryPlanStore } from '../support/memory-ports.js';

const NOW = new Date('2026-12-06T10:00:00Z');
const clock = { now: () => NOW };

/** Collects what would be sent, reading a streamed file to its end as the upload does. */
function memoryInbox(): PersonalFiles & { sent: { userId: string; filename: string; text: string }[] } {
  const sent: { userId: string; filename: string; text: string }[] = [];
  return {
    sent,
    async dmFile(userId, file) {
      let text = '';
      if (typeof file.content === 'string') text = file.content;
      else for await (const chunk of file.content) text += chunk;
      sent.push({ userId, filename: file.filename, text });
    },
  };
}

const entry: PlanEntry = {
  teamId: 'T1',
  userId: 'U2',
  accountId: 'acct_2',
  money: { amount: 12_000, currency: 'eur' },
  description: null,
  approvedBy: ['U9'],
  requestId: 'req_plan',
  updatedAt: NOW.toISOString(),
};

describe('the plan service', () => {
  it('when a seller is taken out of the plan, then the removal is audited by who did it, at the clock’s time', async () => {
    const audit = memoryAudit();
    const plan = createPlanService({ store: memoryPlanStore([entry]), audit, clock });
    expect(await plan.remove('T1', 'U2', 'U1')).toEqual(entry);
    expect(await plan.list('T1')).toEqual([]);
    expect(audit.entries).toEqual([
      {
        at: NOW.toISOString(),
        actor: 'U1',
        action: 'plan.removed',
        subject: 'req_plan',
        kind: 'plan',
        amounts: [entry.money],
        payee: { userId: 'U2', accountId: 'acct_2' },
        state: 'removed',
      },
    ]);
  });

  it('when the seller was not in the plan, then nothing is audited', async () => {
    const audit = memoryAudit();
    expect(
      await createPlanService({ store: memoryPlanStore(), audit, clock }).remove('T1', 'U2', 'U1'),
    ).toBeUndefined();
    expect(audit.entries).toEqual([]);
  });
});

describe('the treasury', () => {
  it('when a currency is only pending, then the balance lists it with nothing available, currencies in order', async () => {
    const treasury = createTreasury({
      balance: async () => ({
        available: [{ amount: 500, currency: 'usd' }],
        pending: [
          { amount: 700, currency: 'eur' },
          { amount: 100, currency: 'usd' },
        ],
      }),
      platformAccount: async () => ({ id: 'acct_platform', country: 'US', defaultCurrency: 'usd' }),
    });
    expect(await treasury.balance()).toEqual([
      { currency: 'eur', available: { amount: 0, currency: 'eur' }, pending: { amount: 700, currency: 'eur' } },
      { currency: 'usd', available: { amount: 500, currency: 'usd' }, pending: { amount: 100, currency: 'usd' } },
    ]);
  });

  it('when Stripe cannot say what the platform holds, then the held currencies are unknown rather than none', async () => {
    const treasury = createTreasury({
      balance: async () => Promise.reject(new Error('down')),
      platformAccount: async () => ({ id: 'a', country: 'US', defaultCurrency: 'usd' }),
    });
    expect(await treasury.heldCurrencies()).toBeUndefined();
  });
});

describe('the audit export', () => {
  const at = (day: string): AuditEntry => ({
    at: `${day}T12:00:00.000Z`,
    actor: 'U1',
    action: 'plan.removed',
    subject: 'req_1',
    kind: 'plan',
    amounts: [],
    state: 'removed',
  });
  const logOf = (...entries: AuditEntry[]) => {
    const log = memoryAudit();
    log.entries.push(...entries);
    return log;
  };

  it('when a range is given, then only its entries are sent, counted, in a file named after it', async () => {
    const inbox = memoryInbox();
    const audit = createAuditService({
      log: logOf(at('2026-12-01'), at('2026-12-03'), at('2026-12-05')),
      inbox,
      clock,
    });
    const count = await audit.export(
      'U1',
      { from: new Date('2026-12-02T00:00:00Z'), to: new Date('2026-12-05T00:00:00Z') },
      '2026-12-02..2026-12-04',
    );
    expect(count).toBe(1);
    expect(inbox.sent[0]).toMatchObject({ userId: 'U1', filename: 'payout-audit-2026-12-02..2026-12-04.csv' });
    expect(inbox.sent[0]!.text.trim().split('\n')).toHaveLength(2);
  });

  it('when no range is given, then everything up to today is sent', async () => {
    const inbox = memoryInbox();
    const audit = createAuditService({ log: logOf(at('2020-01-01'), at('2026-12-06')), inbox, clock });
    expect(await audit.export('U1', undefined, 'all')).toBe(2);
  });
});

describe('the batch intake', () => {
  const sellers = {
    lookUp: async () => ({
      find: ({ userId }: { userId?: string }) =>
        userId === 'U2' ? { userId: 'U2', accountId: 'acct_2', payable: true } : undefined,
    }),
  };

  it('when a file is attached, then its text is checked instead of the pasted lines, mentions read by the edge’s parser', async () => {
    const read = vi.fn(async () => '<@U2|ana>,10,eur');
    const intake = createBatchIntake({ attachments: { read }, sellers, mentionedUser: parseUserMention });
    const batch = await intake.check({
      teamId: 'T1',
      file: { url: 'https://files/1' },
      pasted: 'ignored',
      heldCurrencies: ['eur'],
    });
    expect(read).toHaveBeenCalledWith({ url: 'https://files/1' }, 2_000);
    expect(batch).toMatchObject({
      empty: false,
      problems: [],
      lines: [{ userId: 'U2', accountId: 'acct_2', money: { amount: 1000, currency: 'eur' } }],
    });
  });

  it('when nothing is attached or pasted, then the batch is empty and no seller is read', async () => {
    const lookUp = vi.fn(sellers.lookUp);
    const intake = createBatchIntake({
      attachments: { read: vi.fn() },
      sellers: { lookUp },
      mentionedUser: parseUserMention,
    });
    expect(await intake.check({ teamId: 'T1', file: undefined, pasted: '  \n ', heldCurrencies: undefined })).toEqual({
      empty: true,
    });
    expect(lookUp).not.toHaveBeenCalled();
  });
});

describe('deliveries', () => {
  it('when a command and a form are seen, then each is remembered under the scope and for the time it always was', async () => {
    const claimOnce = vi.fn(async () => true);
    const deliveries = createDeliveries(claimOnce);
    await deliveries.firstTime('command', 'trigger-1');
    await deliveries.firstTime('submission', 'V1');
    expect(claimOnce.mock.calls).toEqual([
      ['slack-trigger', 'trigger-1', 3_600],
      ['slack-view', 'V1', 86_400],
    ]);
  });
});
