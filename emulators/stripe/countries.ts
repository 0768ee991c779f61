/** Countries where Stripe Connect accounts can be created, with each one's default settlement currency. */
export const COUNTRY_CURRENCIES: Readonly<Record<string, string>> = {
  AE: 'aed', AT: 'eur', AU: 'aud', BE: 'eur', BG: 'bgn', BR: 'brl', CA: 'cad', CH: 'chf', CY: 'eur',
  CZ: 'czk', DE: 'eur', DK: 'dkk', EE: 'eur', ES: 'eur', FI: 'eur', FR: 'eur', GB: 'gbp', GI: 'gbp',
  GR: 'eur', HK: 'hkd', HR: 'eur', HU: 'huf', IE: 'eur', IN: 'inr', IT: 'eur', JP: 'jpy', LI: 'chf',
  LT: 'eur', LU: 'eur', LV: 'eur', MT: 'eur', MX: 'mxn', MY: 'myr', NL: 'eur', NO: 'nok', NZ: 'nzd',
  PL: 'pln', PT: 'eur', RO: 'ron', SE: 'sek', SG: 'sgd', SI: 'eur', SK: 'eur', TH: 'thb', US: 'usd',
};

export const SUPPORTED_CURRENCIES: ReadonlySet<string> = new Set([
  ...Object.values(COUNTRY_CURRENCIES),
  'ars', 'clp', 'cny', 'cop', 'egp', 'idr', 'ils', 'isk', 'kes', 'krw', 'mad', 'ngn', 'pen', 'php',
  'pkr', 'qar', 'sar', 'try', 'twd', 'uah', 'vnd', 'zar',
]);

/** Stripe's "recipient" service agreement exists for US platforms paying sellers abroad (cross-border payouts). */
export function needsRecipientAgreement(platformCountry: string, accountCountry: string): boolean {
  return platformCountry === 'US' && accountCountry !== 'US';
}
