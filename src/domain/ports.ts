import type { Money } from './money.js';
import type { PayoutRequest, RequestKind } from './requests.types.js';
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

/** Money movement at Stripe. Every write carries our idempotency key. */
export interface MoneyGateway {
  platformAccount(): Promise<{ id: string; country: string; defaultCurrency: string }>;
  balance(): Promise<{ available: Money[]; pending: Money[] }>;
  createTransfer(input: { money: Money; destinationAccountId: string; description: string | null; requestId: string }, idempotencyKey: string): Promise<{ id: string }>;
  createTopup(input: { money: Money; description: string | null; statementDescriptor: string | null; requestId: string }, idempotencyKey: string): Promise<{ id: string; expectedAvailability: Date | null }>;
  /** The object an earlier attempt may have created (our request id is in its metadata and transfer_group). */
  findCreated(kind: RequestKind, requestId: string, createdSince: Date): Promise<string | undefined>;
}

export interface RequestStore {
  create(request: PayoutRequest, actor: string): Promise<void>;
  get(id: string): Promise<PayoutRequest | undefined>;
  /** One atomic transition with its audit entry; `change` returns undefined to leave the request as it is. */
  transition(
    id: string,
    change: (current: PayoutRequest) => PayoutRequest | undefined,
    audit: { actor: string; action: string; detail?: string },
  ): Promise<{ before: PayoutRequest; after: PayoutRequest; changed: boolean } | undefined>;
  /** Requests not yet in a final state, for the sweeper. */
  open(): Promise<PayoutRequest[]>;
}

/** Hands approved requests to the workers; safe to call more than once for the same request. */
export interface ExecutionQueue {
  enqueue(requestId: string): Promise<void>;
  /** For the sweeper: queue it again even if an earlier job for it has finished or failed. */
  requeue(requestId: string): Promise<void>;
}

/** What people are shown as a request moves; the Slack adapter renders it. */
export interface RequestNotifier {
  /** Posts the approval request; returns where, so later steps update the same message. */
  posted(request: PayoutRequest): Promise<{ channel: string; ts: string }>;
  changed(request: PayoutRequest): Promise<void>;
  /** The outcome, to the requester and wherever else it belongs. */
  finished(request: PayoutRequest): Promise<void>;
  settled(request: PayoutRequest): Promise<void>;
}
