import { describe, expect, it } from 'vitest';
import { mrkdwn, renderBlocks } from '../../sandbox/public/blockkit.js';
import { type Directory, escapeSlashText, splitSlashCommand } from '../../sandbox/slash-text.js';
import type { PayoutRequest } from '../../src/domain/requests.types.js';
import { approvalMessage } from '../../src/slack/blocks/requests.js';

const ctx = {
  userName: (id: string) => ({ UANA: 'ana', UBOB: 'bob' })[id],
  channelName: (id: string) => (id === 'COPS' ? 'ops' : undefined),
};
const text = (html: string) =>
  html.replace(/<[^>]+>/g, '').replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

describe('the console renders mrkdwn as Slack does', () => {
  it('formats bold, italic, strike and code, and leaves snake_case and URLs alone', () => {
    expect(mrkdwn('*Paid* _now_ ~never~ `tr_1 *x*`')).toBe('<b>Paid</b> <i>now</i> <s>never</s> <code>tr_1 *x*</code>');
    expect(mrkdwn('payout_request_id and 2*3*4')).toBe('payout_request_id and 2*3*4');
    expect(mrkdwn('<https://example.com/a_b_c|the _docs_>')).toBe(
      '<a href="https://example.com/a_b_c" target="_blank" rel="noopener noreferrer">the _docs_</a>',
    );
  });

  it("names mentions, shows channels, special mentions and a date token's fallback", () => {
    expect(text(mrkdwn('<@UANA> and <@UZED|zed> in <#COPS>, <!here>, <!subteam^S1|@approvers>', ctx))).toBe(
      '@ana and @zed in #ops, @here, @approvers',
    );
    expect(text(mrkdwn('expires <!date^1700000000^{date_short_pretty} {time}|2023-11-14T22:13:20Z>'))).toBe(
      'expires 2023-11-14T22:13:20Z',
    );
  });

  it('unescapes &lt; &gt; &amp; for display and never lets text become HTML', () => {
    const html = mrkdwn('Wrong &lt;!channel&gt; amount &amp; <script>alert(1)</script>');
    expect(html).not.toContain('<script');
    // an unescaped <…> is a link token to Slack; one that is not a URL shows as its text
    expect(text(html)).toBe('Wrong <!channel> amount & scriptalert(1)/script');
    expect(mrkdwn('<javascript:alert(1)|click>')).not.toContain('href');
  });

  it('turns known emoji codes into emoji with a name for the fallback, and keeps unknown ones', () => {
    expect(mrkdwn(':white_check_mark: :not_an_emoji:')).toBe(
      '<span class="emoji" data-name="white_check_mark">✅</span> :not_an_emoji:',
    );
  });

  it("renders the bot's own approval message: header, fields, status and Approve/Reject buttons", () => {
    const request = {
      id: 'req_1',
      kind: 'transfer',
      state: 'pending',
      teamId: 'T1',
      requestedBy: 'UBOB',
      requestedAt: '2026-01-01T00:00:00.000Z',
      expiresAt: '2026-01-02T00:00:00.000Z',
      money: { amount: 150_000, currency: 'usd' },
      totals: [{ amount: 150_000, currency: 'usd' }],
      destination: { userId: 'UANA', accountId: 'acct_1' },
      description: 'Weekly <earnings>',
      statementDescriptor: null,
      requiredApprovals: 2,
      approvals: [],
      attempts: 0,
      availableAtRequest: { amount: 500_000, currency: 'usd' },
      schedule: null,
      run: null,
      rejection: null,
      firstAttemptAt: null,
      executingSince: null,
      stripeId: null,
      resultRef: null,
      failure: null,
      settlement: null,
      message: null,
      updatedAt: '2026-01-01T00:00:00.000Z',
    } as unknown as PayoutRequest;
    const html = renderBlocks(approvalMessage(request).blocks, ctx);
    expect(html).toContain('<div class="bk-block bk-header">Transfer request</div>');
    expect(text(html)).toContain('Amount$1,500.00');
    expect(text(html)).toContain('@ana · acct_1');
    expect(text(html)).toContain('Weekly <earnings>');
    expect(html).toMatch(
      /<button type="button" class="bk-button bk-primary" data-action data-block="\d+" data-element="0" data-type="button"(?: data-confirm="[^"]*")?>Approve<\/button>/,
    );
    expect(html).toContain('bk-danger');
  });

  it('renders input blocks with their errors and hints', () => {
    const html = renderBlocks(
      [
        {
          type: 'input',
          block_id: 'amount',
          label: { type: 'plain_text', text: 'Amount' },
          hint: { type: 'plain_text', text: 'e.g. 12' },
          element: { type: 'number_input', action_id: 'value', is_decimal_allowed: true },
        },
      ],
      ctx,
      { surface: 'modal', errors: { amount: 'Too much' } },
    );
    expect(html).toContain(
      'type="number" step="any" data-input="number_input" data-block-id="amount" data-action-id="value"',
    );
    expect(html).toContain('<div class="bk-error" role="alert">Too much</div>');
  });
});

describe('slash command text is escaped as Slack does with should_escape', () => {
  const directory: Directory = {
    user: (n) => (['seller1', 'USELLER1'].includes(n) ? { id: 'USELLER1', name: 'seller1' } : undefined),
    channel: (n) => (n === 'ops' ? { id: 'COPS', name: 'ops' } : undefined),
  };

  it('links people, channels, emails and URLs, and escapes & < >', () => {
    expect(escapeSlashText('invite @seller1 ana@example.com FR', directory)).toBe(
      'invite <@USELLER1|seller1> <mailto:ana@example.com|ana@example.com> FR',
    );
    expect(escapeSlashText('transfer @seller1, 10 usd see #ops https://x.test/a?b=1&c=2 <3 & more', directory)).toBe(
      'transfer <@USELLER1|seller1>, 10 usd see <#COPS|ops> <https://x.test/a?b=1&amp;c=2> &lt;3 &amp; more',
    );
    expect(escapeSlashText('status <@USELLER1|seller> @nobody', directory)).toBe('status <@USELLER1|seller> @nobody');
  });

  it('splits the command from its text', () => {
    expect(splitSlashCommand('  /Payout   topup 10 usd ')).toEqual({ command: '/payout', text: 'topup 10 usd' });
    expect(splitSlashCommand('/payout')).toEqual({ command: '/payout', text: '' });
    expect(splitSlashCommand('hello /payout')).toBeUndefined();
  });
});
