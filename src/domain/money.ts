import { AppError, type ErrorParams } from './errors.js';
import type { Money } from './money.types.js';

export type { Money } from './money.types.js';

const ZERO_DECIMAL = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);
/** Two-decimal in the API, but only whole units are accepted (ISK, UGX) or paid out (HUF, TWD). */
const WHOLE_UNITS_ONLY = new Set(['isk', 'huf', 'twd', 'ugx']);
const ISO_CURRENCIES = new Set(Intl.supportedValuesOf('currency').map((c) => c.toLowerCase()));

/** The most a single amount may be, in major units: far beyond any real payout, well inside integer precision. */
const ABSURD_MAJOR_AMOUNT = 1e11;

type MoneyCode = 'currency_unknown' | 'amount_invalid' | 'amount_too_precise' | 'amounts_invalid';

/** A refused amount or currency: a stable code and what was typed; the edge words it (and may add its usage line). */
export class MoneyError<C extends MoneyCode = MoneyCode> extends AppError<C> {
  constructor(code: C, params: ErrorParams[C]) {
    super(code, params);
    this.name = 'MoneyError';
  }
}

export function normalizeCurrency(raw: string): string {
  const code = raw.trim().toLowerCase();
  if (!/^[a-z]{3}$/.test(code) || !ISO_CURRENCIES.has(code)) {
    throw new MoneyError('currency_unknown', { currency: raw.trim() });
  }
  return code;
}

/** Digits after the decimal point in Stripe's API amounts for this currency. */
export function minorUnitDigits(currency: string): 0 | 2 | 3 {
  if (ZERO_DECIMAL.has(currency)) return 0;
  if (THREE_DECIMAL.has(currency)) return 3;
  return 2;
}

/** How many decimals a person may type: the API's, except none for the whole-units special cases. */
export function typedDecimals(currency: string): number {
  return WHOLE_UNITS_ONLY.has(currency) ? 0 : minorUnitDigits(currency);
}

/** Major units as digit strings → minor units; the fraction must fit the currency. */
function toMoney(whole: string, fraction: string, currency: string): Money {
  const digits = minorUnitDigits(currency);
  return { amount: Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0'), currency };
}

/**
 * More decimals than the currency has are refused, zeros included: "1.500 eur" may be €1,500.00 (a dot between
 * thousands, as much of Europe writes it) or €1.50, and guessing either one moves the wrong money. The readings are
 * what the person may have meant.
 */
function tooPrecise(typed: string, whole: string, fraction: string, currency: string): MoneyError {
  const allowed = typedDecimals(currency);
  const readings: Money[] = [];
  if (/^\d{1,3}\.\d{3}$/.test(typed)) readings.push(toMoney(`${whole}${fraction}`, '', currency));
  const significant = fraction.replace(/0+$/, '');
  if (significant.length <= allowed) readings.push(toMoney(whole, significant, currency));
  return new MoneyError('amount_too_precise', {
    typed,
    currency,
    decimals: fraction.length,
    allowed,
    readings: readings.filter((m) => m.amount > 0),
  });
}

/** Parses a decimal amount in major units ("10.50", "1500", "1,500.00") into Money. */
export function parseMoney(rawAmount: string, rawCurrency: string): Money {
  const currency = normalizeCurrency(rawCurrency);
  const typed = rawAmount.trim();
  const text = typed.replace(/,(?=\d{3}(\D|$))/g, '');
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) {
    throw new MoneyError('amount_invalid', { typed, problem: /^-/.test(text) ? 'negative' : 'not_a_number' });
  }
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  if (fraction.length > typedDecimals(currency)) throw tooPrecise(typed, whole, fraction, currency);
  if (THREE_DECIMAL.has(currency) && fraction.length === 3 && !fraction.endsWith('0')) {
    // Stripe requires the last of the three digits to be 0.
    throw new MoneyError('amount_too_precise', { typed, currency, lastDigitNotZero: true });
  }
  if (Number(whole) >= ABSURD_MAJOR_AMOUNT) throw new MoneyError('amount_invalid', { typed, problem: 'too_large' });
  const money = toMoney(whole, fraction, currency);
  if (!Number.isSafeInteger(money.amount) || money.amount <= 0)
    throw new MoneyError('amount_invalid', { typed, problem: 'not_positive' });
  return money;
}

export function toMajorUnits(money: Money): number {
  return money.amount / 10 ** minorUnitDigits(money.currency);
}

/** One formatter per locale and currency: building an Intl.NumberFormat costs far more than using one. */
const formatters = new Map<string, Intl.NumberFormat>();

/** "€1,234.50", "¥1,500", "ISK 10,000" — for people, never for computation. */
export function formatMoney(money: Money, locale = 'en-US'): string {
  const key = `${locale}|${money.currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    const shown = WHOLE_UNITS_ONLY.has(money.currency) ? 0 : minorUnitDigits(money.currency);
    formatter = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: money.currency.toUpperCase(),
      minimumFractionDigits: shown,
      maximumFractionDigits: shown,
    });
    formatters.set(key, formatter);
  }
  return formatter.format(toMajorUnits(money));
}

/** Per-currency amounts such as thresholds and maxima: "usd:1000,eur:1000,jpy:150000" in major units. */
export type CurrencyAmounts = ReadonlyMap<string, number>;

export function parseCurrencyAmounts(raw: string): CurrencyAmounts {
  const result = new Map<string, number>();
  for (const part of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [code, amount, extra] = part.split(':');
    if (code === undefined || amount === undefined || extra !== undefined) {
      throw new MoneyError('amounts_invalid', { part });
    }
    const money = parseMoney(amount, code);
    if (result.has(money.currency)) throw new MoneyError('amounts_invalid', { listedTwice: money.currency });
    result.set(money.currency, money.amount);
  }
  return result;
}

/** "1234.50" for 123450 EUR, "1500" for 1500 JPY: exact (no floating point), for files finance sums up. */
export function majorUnitsText(money: Money): string {
  const digits = minorUnitDigits(money.currency);
  const sign = money.amount < 0 ? '-' : '';
  const text = String(Math.abs(money.amount)).padStart(digits + 1, '0');
  return digits === 0 ? `${sign}${text}` : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** Sums amounts per currency. */
export function totalsOf(items: { money: Money }[]): Money[] {
  const sums = new Map<string, number>();
  for (const { money } of items) sums.set(money.currency, (sums.get(money.currency) ?? 0) + money.amount);
  return [...sums]
    .map(([currency, amount]) => ({ currency, amount }))
    .sort((a, b) => a.currency.localeCompare(b.currency));
}

/** Per currency, how much of `needed` the `available` amounts do not cover; empty when they cover all of it. */
export function shortfallOf(needed: Money[], available: Money[]): Money[] {
  return needed.flatMap((total) => {
    const have = available.find((a) => a.currency === total.currency)?.amount ?? 0;
    return have < total.amount ? [{ currency: total.currency, amount: total.amount - have }] : [];
  });
}
