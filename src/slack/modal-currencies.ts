import type { Treasury } from '../domain/treasury.js';

/** How long a modal waits for Stripe before asking for a typed currency code instead (its trigger id lasts 3 s). */
const WAIT_MS = 1_000;

/**
 * The currencies a money modal offers: top-ups the platform's own, transfers those it holds a balance in; undefined
 * (a typed code) when Stripe does not answer in time, rather than a modal that does not open.
 */
export function modalCurrencies(
  treasury: Pick<Treasury, 'heldCurrencies' | 'defaultCurrency'>,
  kind: 'transfer' | 'topup',
): Promise<string[] | undefined> {
  const asked = kind === 'topup' ? treasury.defaultCurrency().then((c) => [c]) : treasury.heldCurrencies();
  const late = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), WAIT_MS).unref());
  return Promise.race([asked, late]).catch(() => undefined);
}
