import { describe, expect, it } from 'vitest';
import { AppError, type ErrorCode, type ErrorParams, type Problem } from '../../src/domain/errors.js';
import type { PayoutRequest } from '../../src/domain/requests.types.js';
import { approvalMessage } from '../../src/slack/blocks/requests.js';
import { describeError, describeLineProblem, describeRecorded, plainWords } from '../../src/slack/messages.js';
import { requestBase, transferRequest } from '../support/request-fixtures.js';

const AT = '2026-12-01T09:30:00.000Z';
const eur = (amount: number) => ({ amount, currency: 'eur' });
const refusal = { action: 'create the transfer', stripeCode: 'account_invalid', detail: 'No such <account>' };

/** One example of every code; a code added to ErrorParams without an example here does not compile. */
const EXAMPLES: { [C in ErrorCode]: ErrorParams[C] } = {
  currency_unknown: { currency: 'xyz' },
  amount_invalid: { typed: 'ten', problem: 'not_a_number' },
  amount_too_precise: { typed: '1.500', currency: 'eur', decimals: 3, allowed: 2, readings: [eur(150_000), eur(150)] },
  amounts_invalid: { part: 'usd=1000' },
  text_too_long: { noun: 'reason', length: 501, max: 500 },
  bad_payment_ref: { parts: ['run.1', 'U1'] },
  not_requester: {},
  not_staff: { to: 'unfreeze' },
  not_held: { payoutRef: 'pay_rq.req_1' },
  nothing_to_pay: {},
  over_maximum: { max: eur(1_000_00), per: 'request' },
  topup_currency: { currency: 'eur', platformCurrency: 'usd' },
  currency_not_held: { currency: 'gbp', held: ['eur', 'usd'] },
  seller_unknown: { userId: 'U0ANA' },
  seller_disconnected: { userId: 'U0ANA' },
  seller_not_payable: { userId: 'U0ANA', transfers: 'inactive' },
  request_incomplete: { kind: 'run', missing: 'lines' },
  not_posted: {},
  request_unknown: {},
  not_approver: {},
  request_decided: { state: 'approved', approvedBy: ['U0ANA', 'U0BEN'], rejectedBy: null },
  request_expired: {},
  own_request: {},
  pays_you: {},
  approved_already: {},
  when_kind: { typed: 'monthly' },
  when_weekday: { typed: 'mnd' },
  when_clock: {},
  when_zone_missing: {},
  when_zone_unknown: { zone: 'Europe/Pariss' },
  when_cron_fields: {},
  when_cron_invalid: { pattern: '61 9 * * *', reason: 'Constraint error, got value 61 expected range 0-59' },
  schedule_unknown: { scheduleId: 'sch_1' },
  schedule_state: { status: 'paused' },
  run_unknown: { runId: 'run_1' },
  payments_frozen: { reason: 'audit <today>' },
  daily_limit: { which: 'seller', limit: eur(500_00) },
  auto_funding_off: {},
  csv_file: { status: 403 },
  line_not_csv: { csvCode: 'CSV_QUOTE_NOT_CLOSED' },
  line_columns: { count: 2 },
  line_seller_ref: { ref: 'bob' },
  line_seller_unknown: { ref: 'U0NOBODY' },
  line_seller_not_payable: { ref: 'U0DAVE' },
  line_currency_not_held: { currency: 'gbp', held: ['usd', 'eur'] },
  line_repeats: { first: 1 },
  batch_too_long: { max: 5000 },
  stripe_unreachable: { action: 'create the transfer' },
  stripe_rate_limited: { action: 'create the transfer' },
  stripe_unavailable: { action: 'create the transfer' },
  stripe_auth: {},
  stripe_idempotency: refusal,
  stripe_balance_insufficient: { ...refusal, needed: eur(50_00), available: eur(5_00) },
  stripe_insufficient_capabilities_for_transfer: refusal,
  stripe_refused: refusal,
};

const problems = Object.entries(EXAMPLES).map(([code, params]) => ({ code, params }) as Problem);

describe('the words for each error code', () => {
  it('when any code is described, then a person reads a sentence in Slack and in plain text, and the plain one has no mrkdwn', () => {
    for (const problem of problems) {
      expect(describeError(problem), problem.code).toMatch(/\w{3}/);
      const plain = describeError(problem, plainWords);
      expect(plain, problem.code).not.toMatch(/<@U0|`|&lt;/);
    }
  });

  it('when an error names a person, a command and money, then Slack mentions the person, shows the command as code and formats the money', () => {
    expect(describeError(new AppError('seller_unknown', { userId: 'U0ANA' }))).toBe(
      '<@U0ANA> is not a seller yet. Invite them first with `/payout invite`.',
    );
    expect(describeError(new AppError('seller_unknown', { userId: 'U0ANA' }), plainWords)).toBe(
      'U0ANA is not a seller yet. Invite them first with /payout invite.',
    );
    expect(describeError(new AppError('over_maximum', { max: eur(1_000_00), per: 'payment' }))).toBe(
      'The most a single payment may be is €1,000.00.',
    );
    expect(describeError({ code: 'request_decided', params: EXAMPLES.request_decided })).toBe(
      'This request is already approved (approved by <@U0ANA> and <@U0BEN>).',
    );
    expect(describeError({ code: 'stripe_balance_insufficient', params: EXAMPLES.stripe_balance_insufficient })).toBe(
      'The platform balance is too low: €5.00 available, €50.00 needed. Top it up (`/payout topup`) and request this again.',
    );
  });

  it('when a schedule time has no zone, then Slack shows the examples as code, and plain text (a modal field, the configuration) as words', () => {
    const missing = { code: 'when_zone_missing', params: {} } as const;
    expect(describeError(missing)).toBe(
      'Add an IANA time zone after the time, e.g. `daily 09:00 Europe/Paris` or `UTC`.',
    );
    expect(describeError(missing, plainWords)).toBe(
      'Add an IANA time zone after the time, e.g. daily 09:00 Europe/Paris or UTC.',
    );
  });

  it('when words come from elsewhere (Stripe, a person, an older record), then Slack shows them as text, never as mrkdwn', () => {
    expect(describeError({ code: 'stripe_refused', params: refusal })).toBe(
      'Stripe refused to create the transfer. Stripe said: No such &lt;account&gt;',
    );
    expect(describeError({ code: 'payments_frozen', params: { reason: '<!channel>' } })).toContain(
      '(&lt;!channel&gt;)',
    );
    expect(describeRecorded({ code: 'stripe_balance_insufficient', message: 'Top it up <@U1>' })).toBe(
      'Top it up &lt;@U1&gt;',
    );
    expect(describeRecorded('balance too low for €5.00')).toBe('balance too low for €5.00');
    expect(
      describeRecorded({ code: 'stripe_balance_insufficient', params: { action: 'pay', needed: eur(5_00) } }),
    ).toBe('balance too low for €5.00');
  });

  it('when a CSV line has a problem, then it reads as a sentence', () => {
    expect(describeLineProblem({ code: 'amount_invalid', params: { typed: 'ten', problem: 'not_a_number' } })).toBe(
      '"ten" is not an amount: write it like 10.50 or 1500.',
    );
    expect(describeLineProblem({ code: 'line_currency_not_held', params: EXAMPLES.line_currency_not_held })).toBe(
      'The platform holds no GBP balance to pay from: use EUR, USD.',
    );
  });
});

describe('requests stored before codes carried params', () => {
  it('when an old failed transfer with words and a bank-change reason is drawn, then its card still shows them, as text', () => {
    const stored = JSON.parse(
      JSON.stringify({
        id: 'req_old',
        kind: 'transfer',
        teamId: 'T0TEAM',
        requestedBy: 'U0OPS',
        requestedAt: AT,
        money: eur(50_00),
        totals: [eur(50_00)],
        description: null,
        statementDescriptor: null,
        destination: { userId: 'U0ANA', accountId: 'acct_1' },
        availableAtRequest: null,
        schedule: null,
        run: null,
        state: 'failed',
        requiredApprovals: 2,
        extraApprovalReason: "<@U0ANA>'s bank account changed at 2026-11-30 10:00 UTC",
        approvals: [{ userId: 'U0BEN', at: AT }],
        rejection: null,
        expiresAt: AT,
        executingSince: null,
        attempts: 1,
        stripeId: null,
        resultRef: null,
        settlement: null,
        amountReversed: 0,
        message: null,
        updatedAt: AT,
        failure: {
          code: 'stripe_balance_insufficient',
          message:
            'The platform balance is too low: €5.00 available, €50.00 needed. Top it up (`/payout topup`) and request this again.',
        },
      }),
    ) as PayoutRequest;
    const card = JSON.stringify(approvalMessage(stored).blocks);
    expect(card).toContain(
      '*Failed*: The platform balance is too low: €5.00 available, €50.00 needed. Top it up (`/payout topup`)',
    );
    expect(card).toContain('<@U0ANA> · `acct_1`');
    const pending = JSON.stringify(approvalMessage({ ...stored, state: 'pending', failure: null }).blocks);
    expect(pending).toContain(
      "One more approver than usual: &lt;@U0ANA&gt;'s bank account changed at 2026-11-30 10:00 UTC.",
    );
  });

  it("when a request stored without the seller's name waits for two approvers, then Approve's confirm names the seller by user id", () => {
    const stored = transferRequest(AT, {
      id: 'req_old',
      teamId: 'T0TEAM',
      requestedBy: 'U0OPS',
      money: eur(1_500_00),
      totals: [eur(1_500_00)],
      destination: { userId: 'U0ANA', accountId: 'acct_1' },
      requiredApprovals: 2,
    });
    expect(JSON.stringify(approvalMessage(stored).blocks)).toContain('€1,500.00 to @U0ANA: your approval is one of 2.');
    expect(
      JSON.stringify(approvalMessage({ ...stored, destination: { ...stored.destination, name: 'Ana López' } }).blocks),
    ).toContain('€1,500.00 to Ana López: your approval is one of 2.');
  });

  it('when a new request waits for a second approver after a bank change, then its card names the seller and the times', () => {
    const card = JSON.stringify(
      approvalMessage({
        ...requestBase(AT, {
          id: 'req_new',
          teamId: 'T0TEAM',
          requestedBy: 'U0OPS',
          money: eur(50_00),
          totals: [eur(50_00)],
          requiredApprovals: 2,
        }),
        kind: 'plan',
        destination: { userId: 'U0ANA', accountId: 'acct_1' },
        bankChangeHold: { userId: 'U0ANA', changedAt: '2026-11-30T10:00:00.000Z', until: '2026-12-03T10:00:00.000Z' },
      }).blocks,
    );
    expect(card).toContain(
      "One more approver than usual: <@U0ANA>'s bank account changed at 2026-11-30 10:00 UTC (held until 2026-12-03 10:00 UTC).",
    );
  });
});
