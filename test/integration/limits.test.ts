import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, type Harness, messageText, PEOPLE, startHarness } from '../../emulators/local-stack.js';
import { messageProblems } from '../../emulators/slack/block-kit.js';
import { launchRun } from '../support/runs.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: { STRIPE_TRANSFERS_PER_SECOND: '500' } });
});
afterAll(async () => {
  await h?.stop();
});

const LONG = 'weekly earnings <!channel> & more '.repeat(100);

/** The ephemeral answers a command got through its response_url, after `before` of them. */
async function answerTo(text: string, userId: string = PEOPLE.requester) {
  const before = h.slack.ephemerals(userId).length;
  const res = await h.sender.slashCommand({ text, userId, channelId: CHANNELS.general });
  expect(res.status).toBe(200);
  return h.slack.waitFor(() => h.slack.ephemerals(userId)[before], { timeoutMs: 10_000 });
}

describe('long lists through Slack', () => {
  it('when the payout plan has 5,000 sellers, then /payout plan answers within Block Kit limits with "…and N more", and /payout plan export sends all of them as CSV', async () => {
    for (let i = 0; i < 5_000; i++) {
      await h.bot.deps.plan.set({
        teamId: 'T0TEAM',
        userId: `U${String(i).padStart(9, '0')}`,
        accountId: `acct_${i}`,
        money: { amount: 1_000 + i, currency: 'eur' },
        description: LONG,
        approvedBy: [PEOPLE.approver1],
        requestId: `req_${i}`,
        updatedAt: new Date().toISOString(),
      });
    }
    const answer = await answerTo('plan');
    expect(messageProblems(answer)).toEqual([]); // the fake refused it otherwise; this says why if it did not
    const text = messageText(answer);
    expect(text).toContain('*Payout plan* (5000 sellers)');
    expect(text).toContain('…and 4900 more. `/payout plan export` sends you the whole plan as a CSV file.');
    expect(text).toContain('*Totals per run*');
    expect(text).not.toContain('Something went wrong');

    const sent = await answerTo('plan export');
    expect(messageText(sent)).toContain('Sent you the payout plan (5000 sellers) as a CSV file in a DM.');
    const [file] = h.slack.files(`D${PEOPLE.requester}`).filter((f) => f.filename.startsWith('payout-plan-'));
    const rows = file!.content.toString().trimEnd().split('\n');
    expect(rows[0]).toBe('seller,amount,currency,description');
    expect(rows).toHaveLength(5_001);
    expect(rows[1]).toMatch(/^U000000000,10\.00,eur,weekly earnings/);
  }, 120_000);

  it('when a run ends with 150 failed lines, then its final message lists the first with "…and N more", and Failed lines as CSV sends all of them to whoever presses it', async () => {
    const lines = Array.from({ length: 150 }, (_, i) => ({
      key: `line${i}`,
      userId: PEOPLE.seller1,
      accountId: `acct_gone${i}`,
      money: { amount: 100 + i, currency: 'eur' },
      description: LONG,
    }));
    await launchRun(h, 'run-many-failed', lines, { requestedBy: PEOPLE.requester });
    const summary = await h.slack.waitFor(
      () =>
        h.slack
          .messages(CHANNELS.ops)
          .find((m) => messageText(m).includes('run-many-failed') && messageText(m).includes('Finished')),
      { timeoutMs: 60_000 },
    );
    expect(messageProblems(summary)).toEqual([]);
    expect(messageText(summary)).toContain('…and 130 more. Press *Failed lines as CSV* for all of them.');

    const res = await h.sender.blockAction({
      userId: PEOPLE.approver1,
      actionId: 'run_failed_csv',
      value: 'run-many-failed',
      channelId: CHANNELS.ops,
      messageTs: summary.ts,
    });
    expect(res.status).toBe(200);
    const file = await h.slack.waitFor(() =>
      h.slack.files(`D${PEOPLE.approver1}`).find((f) => f.filename.startsWith('payout-run-failed-lines-')),
    );
    const rows = file.content.toString().trimEnd().split('\n');
    expect(rows[0]).toBe('seller,amount,currency,description,account,reason');
    expect(rows).toHaveLength(151);
  }, 90_000);
});
