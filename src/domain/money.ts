/**
 * Money in integer minor units as Stripe counts them, with lowercase ISO 4217 codes.
 * Stripe's table: https://docs.stripe.com/currencies#zero-decimal (and its special cases).
 */
export interface Money {
  readonly amount: number; // minor units, integer
  readonly currency: string; // lowercase ISO code
}

const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);
/** Two-decimal in the API, but only whole units are accepted (ISK, UGX) or paid out (HUF, TWD). */
const WHOLE_UNITS_ONLY = new Set(['isk', 'huf', 'twd', 'ugx']);
const ISO_CURRENCIES = new Set(Intl.supportedValuesOf('currency').map((c) => c.toLowerCase()));

/** The most a single amount may be, in major units: far beyond any real payout, well inside integer precision. */
const ABSURD_MAJOR_AMOUNT = 1e11;

export class MoneyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoneyError';
  }
}

export function normalizeCurrency(raw: string): string {
  const code = raw.trim().toLowerCase();
  if (!/^[a-z]{3}$/.test(code) || !ISO_CURRENCIES.has(code)) {
    throw new MoneyError(`"${raw.trim()}" is not an ISO currency code (try usd, eur, gbp, jpy…)`);
  }
  return code;
}

/** Digits after the decimal point in Stripe's API amounts for this currency. */
export function minorUnitDigits(currency: string): 0 | 2 | 3 {
  if (ZERO_DECIMAL.has(currency)) return 0;
  if (THREE_DECIMAL.has(currency)) return 3;
  return 2;
}

/** How many fraction digits a person may type: fewer than the API's for the special cases. */
function typedFractionDigits(currency: string): number {
  if (WHOLE_UNITS_ONLY.has(currency)) return 0;
  if (THREE_DECIMAL.has(currency)) return 2; // Stripe requires the last of three digits to be 0
  return minorUnitDigits(currency);
}

/** Parses a decimal amount in major units ("10.50", "1500", "1,500.00") into Money. */
export function parseMoney(rawAmount: string, rawCurrency: string): Money {
  const currency = normalizeCurrency(rawCurrency);
  const text = rawAmount.trim().replace(/,(?=\d{3}(\D|$))/g, '');
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) {
    if (/^-/.test(text)) throw new MoneyError('The amount must be positive.');
    throw new MoneyError(`"${rawAmount.trim()}" is not an amount: write it like 10.50 or 1500`);
  }
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  const allowed = typedFractionDigits(currency);
  if (fraction.length > allowed) {
    throw new MoneyError(
      allowed === 0
        ? `${currency.toUpperCase()} amounts are whole numbers: no decimals.`
        : `${currency.toUpperCase()} amounts have at most ${allowed} decimals.`,
    );
  }
  if (Number(whole) >= ABSURD_MAJOR_AMOUNT) throw new MoneyError('That amount is too large to be real.');
  const digits = minorUnitDigits(currency);
  const amount = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new MoneyError('The amount must be greater than zero.');
  return { amount, currency };
}

export function toMajorUnits(money: Money): number {
  return money.amount / 10 ** minorUnitDigits(money.currency);
}

/** "€1,234.50", "¥1,500", "ISK 10,000" — for people, never for computation. */
export function formatMoney(money: Money, locale = 'en-US'): string {
  const digits = minorUnitDigits(money.currency);
  const shown = WHOLE_UNITS_ONLY.has(money.currency) ? 0 : digits;
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: money.currency.toUpperCase(),
    minimumFractionDigits: shown,
    maximumFractionDigits: shown === 3 ? 3 : shown,
  }).format(toMajorUnits(money));
}

/** Per-currency amounts such as thresholds and maxima: "usd:1000,eur:1000,jpy:150000" in major units. */
export type CurrencyAmounts = ReadonlyMap<string, number>;

export function parseCurrencyAmounts(raw: string): CurrencyAmounts {
  const result = new Map<string, number>();
  for (const part of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [code, amount, extra] = part.split(':');
    if (code === undefined || amount === undefined || extra !== undefined) {
      throw new MoneyError(`"${part}" should look like usd:1000`);
    }
    const money = parseMoney(amount, code);
    if (result.has(money.currency)) throw new MoneyError(`${money.currency.toUpperCase()} is listed twice`);
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
