/** The parts of a Stripe connected account that onboarding cares about, free of the SDK's types. */
export interface AccountSnapshot {
  id: string;
  country: string;
  email: string | null;
  detailsSubmitted: boolean;
  /** `capabilities.transfers`: a seller is payable when it is `active`. */
  transfersCapability: 'active' | 'inactive' | 'pending' | 'unrequested';
  /** Information only: whether the seller's own bank payouts run. */
  payoutsEnabled: boolean;
  currentlyDue: string[];
  disabledReason: string | null;
}

/**
 * invited: has not finished Stripe's form · pending: submitted, Stripe is verifying · action_required: submitted, something is due
 * payable: transfers active · restricted: was payable, no longer is · disconnected: the seller removed our access to their account.
 */
export type SellerState = 'invited' | 'pending' | 'action_required' | 'payable' | 'restricted' | 'disconnected';

/** A payout from the seller's Stripe balance to their bank, as Stripe shows it now. */
export interface SellerPayout {
  id: string;
  amount: number;
  currency: string;
  status: 'pending' | 'in_transit' | 'paid' | 'failed' | 'canceled';
  failureCode: string | null;
  failureMessage: string | null;
  /** ISO-8601 UTC. */
  arrivalDate: string;
  created: string;
}

export interface Seller {
  teamId: string;
  userId: string;
  accountId: string;
  /** The Slack name when the seller was invited, for pickers; mentions are shown everywhere else. */
  displayName: string | null;
  country: string;
  email: string | null;
  state: SellerState;
  detailsSubmitted: boolean;
  transfersCapability: AccountSnapshot['transfersCapability'];
  payoutsEnabled: boolean;
  currentlyDue: string[];
  disabledReason: string | null;
  everPayable: boolean;
  invitedBy: string;
  invitedAt: string; // ISO-8601 UTC
  updatedAt: string;
  /** The latest payout to their bank that Stripe told us of. */
  lastPayout?: SellerPayout;
  /** When Stripe last told us their bank account changed: transfers to them need one more approver for a while. */
  bankChangedAt?: string;
  disconnectedAt?: string;
}

export function deriveSellerState(account: AccountSnapshot, everPayable: boolean): SellerState {
  if (account.transfersCapability === 'active') return 'payable';
  if (everPayable) return 'restricted';
  if (!account.detailsSubmitted) return 'invited';
  return account.currentlyDue.length > 0 || account.disabledReason ? 'action_required' : 'pending';
}

export function applyAccountSnapshot(seller: Seller, account: AccountSnapshot, at: Date): Seller {
  // A disconnected seller stays so: only a new invitation could connect them again.
  const state = seller.disconnectedAt ? 'disconnected' : deriveSellerState(account, seller.everPayable);
  return {
    ...seller,
    country: account.country,
    email: account.email ?? seller.email,
    state,
    detailsSubmitted: account.detailsSubmitted,
    transfersCapability: account.transfersCapability,
    payoutsEnabled: account.payoutsEnabled,
    currentlyDue: account.currentlyDue,
    disabledReason: account.disabledReason,
    everPayable: seller.everPayable || state === 'payable',
    updatedAt: at.toISOString(),
  };
}
