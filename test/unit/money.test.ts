import { describe, expect, it } from 'vitest';
import { formatMoney, MoneyError, minorUnitDigits, parseCurrencyAmounts, parseMoney } from '../../src/domain/money.js';
import { describeError } from '../../src/slack/messages.js';
import { refusalWords } from '../support/refusals.js';

describe('money', () => {
  it('when an amount is typed in major units, then it is stored in Stripe minor units', () => {
    expect(parseMoney('10.50', 'EUR')).toEqual({ amount: 1050, currency: 'eur' });
    expect(parseMoney('1,500', 'usd')).toEqual({ amount: 150_000, currency: 'usd' });
    expect(parseMoney('1500', 'jpy')).toEqual({ amount: 1500, currency: 'jpy' });
    expect(parseMoney('1.25', 'kwd')).toEqual({ amount: 1250, currency: 'kwd' });
  });

  it('when a currency has no minor units or is a Stripe special case, then decimals are refused', () => {
    expect(refusalWords(() => parseMoney('10.5', 'jpy'))).toContain(
      '10.5 has 1 decimal but JPY takes whole amounts only.',
    );
    expect(refusalWords(() => parseMoney('100.50', 'isk'))).toMatch(/ISK takes whole amounts only/);
    expect(refusalWords(() => parseMoney('100.50', 'huf'))).toMatch(/HUF takes whole amounts only/);
    expect(parseMoney('100', 'isk')).toEqual({ amount: 10_000, currency: 'isk' });
    expect(parseMoney('5000', 'ugx')).toEqual({ amount: 500_000, currency: 'ugx' });
    expect(refusalWords(() => parseMoney('1.0011', 'usd'))).toContain('1.0011 has 4 decimals but USD has 2.');
    expect(refusalWords(() => parseMoney('1.255', 'kwd'))).toMatch(/at most 2 decimals at Stripe/);
    expect(parseMoney('1.500', 'kwd')).toEqual({ amount: 1500, currency: 'kwd' });
    expect(minorUnitDigits('bhd')).toBe(3);
  });

  it('when more decimals are typed than the currency has, zeros included, then it is refused with both readings', () => {
    const refusal = (amount: string, currency: string) => {
      try {
        parseMoney(amount, currency);
      } catch (error) {
        return error as MoneyError;
      }
      throw new Error(`${amount} ${currency} was accepted`);
    };
    const eur = refusal('1.500', 'eur');
    expect(eur).toBeInstanceOf(MoneyError);
    expect(describeError(eur)).toBe('1.500 has 3 decimals but EUR has 2: did you mean €1,500.00 or €1.50?');
    expect(eur).toMatchObject({
      code: 'amount_too_precise',
      params: {
        typed: '1.500',
        decimals: 3,
        allowed: 2,
        currency: 'eur',
        readings: [
          { amount: 150_000, currency: 'eur' },
          { amount: 150, currency: 'eur' },
        ],
      },
    });
    expect(describeError(refusal('1.505', 'eur'))).toBe('1.505 has 3 decimals but EUR has 2: did you mean €1,505.00?');
    expect(describeError(refusal('1,500.000', 'usd'))).toBe(
      '1,500.000 has 3 decimals but USD has 2: did you mean $1,500.00?',
    );
    expect(describeError(refusal('1.500', 'jpy'))).toBe(
      '1.500 has 3 decimals but JPY takes whole amounts only: did you mean ¥1,500?',
    );
    expect(describeError(refusal('1.500', 'huf'))).toBe(
      '1.500 has 3 decimals but HUF takes whole amounts only: did you mean HUF\u00a01,500?',
    );
    expect(describeError(refusal('10.00', 'jpy'))).toBe(
      '10.00 has 2 decimals but JPY takes whole amounts only: did you mean ¥10?',
    );
    expect(describeError(refusal('0.000', 'eur'))).toBe('0.000 has 3 decimals but EUR has 2.');
    expect(parseMoney('1.50', 'eur')).toEqual({ amount: 150, currency: 'eur' });
  });

  it('when the amount is negative, zero, absurd or not a number, then it is refused with a reason', () => {
    expect(refusalWords(() => parseMoney('-5', 'usd'))).toMatch(/positive/);
    expect(refusalWords(() => parseMoney('0', 'usd'))).toMatch(/greater than zero/);
    expect(refusalWords(() => parseMoney('0.00', 'usd'))).toMatch(/greater than zero/);
    expect(refusalWords(() => parseMoney('1e9', 'usd'))).toMatch(/not an amount/);
    expect(refusalWords(() => parseMoney('ten', 'usd'))).toMatch(/not an amount/);
    expect(refusalWords(() => parseMoney('999999999999', 'usd'))).toMatch(/too large/);
  });

  it('when the currency is not an ISO code, then it is refused', () => {
    expect(refusalWords(() => parseMoney('10', 'usdd'))).toMatch(/not an ISO currency/);
    expect(refusalWords(() => parseMoney('10', 'abc'))).toMatch(/not an ISO currency/);
  });

  it('formats amounts for people in their currency', () => {
    expect(formatMoney({ amount: 123_450, currency: 'eur' })).toBe('€1,234.50');
    expect(formatMoney({ amount: 1500, currency: 'jpy' })).toBe('¥1,500');
    expect(formatMoney({ amount: 1_000_000, currency: 'isk' })).toBe('ISK\u00a010,000');
  });

  it('reads per-currency thresholds case-insensitively, in major units', () => {
    const thresholds = parseCurrencyAmounts('USD:1000, eur:1000,jpy:150000');
    expect(thresholds.get('usd')).toBe(100_000);
    expect(thresholds.get('jpy')).toBe(150_000);
    expect(refusalWords(() => parseCurrencyAmounts('usd=1000'))).toMatch(/usd:1000/);
    expect(refusalWords(() => parseCurrencyAmounts('usd:1,usd:2'))).toMatch(/twice/);
  });
});
