/**
 * Money in integer minor units as Stripe counts them, with lowercase ISO 4217 codes.
 * Stripe's table: https://docs.stripe.com/currencies#zero-decimal (and its special cases).
 */
export interface Money {
  readonly amount: number; // minor units, integer
  readonly currency: string; // lowercase ISO code
}
