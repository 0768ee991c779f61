/** What a freeze stops: everything, one currency, or one seller (by their Stripe account, which is what a transfer names). */
export type FreezeScope = { kind: 'all' } | { kind: 'currency'; currency: string } | { kind: 'seller'; userId: string; accountId: string };

export interface Freeze {
  scope: FreezeScope;
  by: string;
  reason: string;
  at: string;
}
