import type { Money } from './money.js';
import type { AccountSnapshot, Seller } from './sellers.types.js';

/** Stripe, as the domain needs it. Implemented by src/adapters/stripe; errors arrive as AppError. */
export interface PaymentsGateway {
  platformAccount(): Promise<{ id: string; country: string; defaultCurrency: string }>;
  createExpressAccount(
    input: { country: string; email: string | null; recipientAgreement: boolean; metadata: Record<string, string> },
    idempotencyKey: string,
  ): Promise<AccountSnapshot>;
  retrieveAccount(accountId: string): Promise<AccountSnapshot>;
  createOnboardingLink(input: { accountId: string; refreshUrl: string; returnUrl: string }): Promise<{ url: string; expiresAt: Date }>;
  availableBalance(): Promise<Money[]>;
}

/** Our seller records; every write that depends on a read is atomic. */
export interface SellerStore {
  get(teamId: string, userId: string): Promise<Seller | undefined>;
  getByAccount(accountId: string): Promise<Seller | undefined>;
  /** Stores a new seller unless one exists for the same Slack user; returns the one that is stored. */
  createIfAbsent(seller: Seller): Promise<{ seller: Seller; created: boolean }>;
  /** Applies `change` to the current record atomically (retrying on a concurrent write); undefined when there is none. */
  update(teamId: string, userId: string, change: (current: Seller) => Seller): Promise<{ before: Seller; after: Seller } | undefined>;
  list(teamId: string): Promise<Seller[]>;
}

/** Resolves user-group ids to their members at the moment someone acts. */
export interface Directory {
  membersOfGroup(groupId: string): Promise<string[]>;
}

/** What the outside world is told about onboarding; the Slack adapter renders it. */
export interface OnboardingNotifier {
  sellerInvited(event: { seller: Seller; invitedBy: string; startUrl: string; reinvite: boolean }): Promise<void>;
  sellerBecamePayable(seller: Seller): Promise<void>;
  /** `continueUrl` lets the seller pick up where Stripe's form needs more. */
  sellerBecameRestricted(seller: Seller, continueUrl: string): Promise<void>;
  sellerStillDue(seller: Seller, continueUrl: string): Promise<void>;
}
