import type { Money } from './money.js';

export type RequestKind = 'topup' | 'transfer';

/**
 * pending → approved → executing → completed | failed, or pending → rejected | expired.
 * A completed top-up still settles later (its `settlement` follows Stripe's webhooks).
 */
export type RequestState = 'pending' | 'approved' | 'executing' | 'completed' | 'failed' | 'rejected' | 'expired';

export const TERMINAL_STATES: ReadonlySet<RequestState> = new Set(['completed', 'failed', 'rejected', 'expired']);

export interface Approval {
  userId: string;
  at: string;
}

export interface PayoutRequest {
  id: string;
  kind: RequestKind;
  teamId: string;
  requestedBy: string;
  requestedAt: string;
  money: Money;
  description: string | null;
  /** Top-ups: what the bank statement shows (at most 15 characters). */
  statementDescriptor: string | null;
  /** Transfers: the seller. */
  destination: { userId: string; accountId: string } | null;
  /** The platform's available balance in this currency when it was requested, shown to approvers. */
  availableAtRequest: Money | null;
  state: RequestState;
  requiredApprovals: 1 | 2;
  approvals: Approval[];
  rejection: { userId: string; reason: string; at: string } | null;
  expiresAt: string;
  /** When a worker first called Stripe for it: Stripe keeps idempotency keys for about 24 hours. */
  firstAttemptAt: string | null;
  executingSince: string | null;
  attempts: number;
  stripeId: string | null;
  failure: { code: string; message: string } | null;
  /** Top-ups: pending until Stripe says succeeded, failed, canceled or reversed. Transfers: reversed. */
  settlement: 'pending' | 'succeeded' | 'failed' | 'canceled' | 'reversed' | null;
  /** Where the approval message is, so every step updates it instead of posting anew. */
  message: { channel: string; ts: string } | null;
  updatedAt: string;
}

export const stripeIdempotencyKey = (request: Pick<PayoutRequest, 'id' | 'kind'>): string => `${request.kind}-${request.id}`;
