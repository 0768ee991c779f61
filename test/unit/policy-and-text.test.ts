import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { parseMoneyArgs } from '../../commands/money-request.js';
import { retryDelayMs } from '../../jobs/backoff.js';
import { toAppError } from '../../src/adapters/stripe/errors.js';
import { auditCsv } from '../../src/domain/csv.js';
import { AppError } from '../../src/domain/errors.js';
import { parseCurrencyAmounts } from '../../src/domain/money.js';
import { exceedsMaximum, requiredApprovals } from '../../src/domain/policy.js';
import { escapeMrkdwn } from '../../src/slack/mrkdwn.js';

describe('approval policy', () => {
  const thresholds = parseCurrencyAmounts('usd:1000,jpy:150000');
  it('needs two approvers at or above the threshold, one below, and two for a currency with no threshold', () => {
    expect(requiredApprovals({ amount: 99_999, currency: 'usd' }, thresholds)).toBe(1);
    expect(requiredApprovals({ amount: 100_000, currency: 'usd' }, thresholds)).toBe(2);
    expect(requiredApprovals({ amount: 149_999, currency: 'jpy' }, thresholds)).toBe(1);
    expect(requiredApprovals({ amount: 1, currency: 'eur' }, thresholds)).toBe(2);
  });
  it('knows the per-request maximum', () => {
    expect(exceedsMaximum({ amount: 100_001, currency: 'usd' }, thresholds)).toBe(100_000);
    expect(exceedsMaximum({ amount: 100_000, currency: 'usd' }, thresholds)).toBeUndefined();
    expect(exceedsMaximum({ amount: 10 ** 9, currency: 'eur' }, thresholds)).toBeUndefined();
  });
});

describe('text people typed', () => {
  it('escapes mrkdwn control characters so nothing pings or breaks', () => {
    expect(escapeMrkdwn('<!channel> <@U1> & <https://x|y>')).toBe(
      '&lt;!channel&gt; &lt;@U1&gt; &amp; &lt;https://x|y&gt;',
    );
  });
  it('quotes CSV cells and defuses spreadsheet formulas', async () => {
    const entry = {
      at: 't',
      actor: 'U1',
      action: 'a',
      subject: 'req_1',
      kind: 'transfer',
      amounts: [{ amount: 1, currency: 'eur' }],
      state: 'pending',
      detail: '=HYPERLINK("x"), "quoted"',
    };
    let csv = '';
    for await (const chunk of auditCsv([entry])) csv += chunk;
    expect(csv.split('\n')[1]).toBe(`t,U1,a,,req_1,transfer,,,0.01,EUR,1,pending,,"'=HYPERLINK(""x""), ""quoted"""`);
  });
  it('reads a transfer command with a multi-word description', () => {
    expect(parseMoneyArgs('transfer', ['<@U1|a>', '120.00', 'EUR', 'weekly', 'earnings'])).toEqual({
      money: { amount: 12_000, currency: 'eur' },
      sellerUserId: 'U1',
      description: 'weekly earnings',
    });
    expect(parseMoneyArgs('topup', ['2000', 'usd'])).toEqual({
      money: { amount: 200_000, currency: 'usd' },
      description: null,
    });
  });
});

describe('retries', () => {
  it("honours Stripe's Retry-After, else backs off exponentially with jitter, capped at a minute", () => {
    expect(
      retryDelayMs(1, new AppError('stripe_unavailable', { action: 'pay' }, { retryable: true, retryAfterMs: 7_000 })),
    ).toBe(7_000);
    expect(retryDelayMs(1, new Error('net'), () => 0)).toBe(500);
    expect(retryDelayMs(3, new Error('net'), () => 1)).toBe(4_000);
    expect(retryDelayMs(20, new Error('net'), () => 1)).toBe(60_000);
  });

  it('maps Stripe errors: 5xx, 429 and 409 are transient; balance_insufficient is not', () => {
    const raw = (statusCode: number, code?: string, headers: Record<string, string> = {}) =>
      Stripe.errors.StripeError.generate({
        type: statusCode >= 500 ? 'api_error' : 'invalid_request_error',
        message: 'm',
        code,
        statusCode,
        headers,
      } as never);
    expect(toAppError(raw(500), 'pay').retryable).toBe(true);
    expect(toAppError(raw(429, 'rate_limit', { 'retry-after': '2' }), 'pay')).toMatchObject({
      retryable: true,
      options: { retryAfterMs: 2_000 },
    });
    expect(toAppError(raw(409, 'idempotency_key_in_use'), 'pay').retryable).toBe(true);
    expect(toAppError(raw(400, 'balance_insufficient'), 'pay')).toMatchObject({
      retryable: false,
      code: 'stripe_balance_insufficient',
    });
    expect(toAppError(raw(500, undefined, { 'stripe-should-retry': 'false' }), 'pay').retryable).toBe(false);
    expect(toAppError(new Error('ECONNRESET'), 'pay').retryable).toBe(true);
  });
});
