import type { FreezeScope, LimitLeft } from './controls.types.js';
import type { Money } from './money.js';
import type { ScheduleTime } from './schedule-time.js';

/**
 * topup / transfer: move money once · plan: set a seller's standing amount · schedule: create a recurring top-up or payout run
 * · resume: turn a paused schedule back on · run: pay a list of sellers now (the plan, a CSV batch, or failed lines again)
 * · unfreeze: lift a freeze (always two approvers).
 * · override: let one payment a daily limit holds go today (always two approvers).
 * · funding: a standing permission for the bot to top up, up to `money` in any rolling 7 days.
 */
export type RequestKind = 'topup' | 'transfer' | 'plan' | 'schedule' | 'resume' | 'run' | 'unfreeze' | 'funding' | 'override';

/** One payment of a run; `key` is unique within the run (the seller for plan runs, the line number for CSV batches). */
export interface RunLineDraft {
  key: string;
  userId: string;
  accountId: string;
  money: Money;
  description: string | null;
}

export interface ScheduleDraft {
  scheduleId: string;
  action: 'topup' | 'run';
  time: ScheduleTime;
  /** Top-up schedules: the amount of each top-up. */
  money: Money | null;
}

/**
 * pending → approved → executing → completed | failed, or pending → rejected | expired.
 * A completed top-up still settles later (its `settlement` follows Stripe's webhooks).
 */
export type RequestState = 'pending' | 'approved' | 'executing' | 'completed' | 'failed' | 'rejected' | 'expired';

export const TERMINAL_STATES: ReadonlySet<RequestState> = new Set(['completed', 'failed', 'rejected', 'expired']);

export type Settlement = 'pending' | 'succeeded' | 'failed' | 'canceled' | 'reversed' | 'partially_reversed';

/**
 * What the platform has for each currency a request moves, read when its card was last drawn: available now, what
 * payments already approved (and runs not finished) will take first, and this request's amount.
 */
export interface FundsCheck {
  at: string;
  currencies: { currency: string; available: number; committed: number; amount: number }[];
}

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
  /** The headline amount; for runs and run schedules the largest per-currency total. */
  money: Money;
  /** Per currency: what the approval policy applies to (a run's totals; otherwise just `money`). */
  totals: Money[];
  description: string | null;
  /** Top-ups: what the bank statement shows (at most 15 characters). */
  statementDescriptor: string | null;
  /** Transfers: the seller. */
  destination: { userId: string; accountId: string } | null;
  /** The platform's available balance in this currency when it was requested, shown to approvers. */
  availableAtRequest: Money | null;
  /** Transfers and runs: the funds for each currency they move, refreshed at each click (absent on older requests). */
  funds?: FundsCheck | null;
  /** An approved transfer the balance cannot cover yet: it waits (the sweeper tries again) instead of failing. */
  heldForFunds?: { short: Money; since: string } | null;
  /** Transfers and runs: what today's daily limits leave, refreshed with the funds (absent: no limit applies). */
  limitsLeft?: LimitLeft[];
  /** An executing payment the kill switch or a daily limit holds: it waits (a delayed job) rather than fails. */
  waitingOn?: { code: 'payments_frozen' | 'daily_limit'; since: string } | null;
  schedule: ScheduleDraft | null;
  run: { source: 'plan' | 'csv' | 'retry'; lines: RunLineDraft[] } | null;
  /** Plan changes: what the seller got in every run until now, when they were in the plan already. */
  replaces?: Money;
  /** Unfreeze requests: the freeze to lift. */
  unfreeze?: FreezeScope;
  /** Override requests: the held payment (its reference and the seller's account); `money` is its amount. */
  override?: { payoutRef: string; accountId: string };
  state: RequestState;
  /** 1 or 2 by the amount; one more while the seller's bank account has just changed. */
  requiredApprovals: number;
  /** Why one more approver than the amount needs (the seller's bank account changed at …); absent otherwise. */
  extraApprovalReason?: string;
  approvals: Approval[];
  rejection: { userId: string; reason: string; at: string } | null;
  expiresAt: string;
  executingSince: string | null;
  attempts: number;
  stripeId: string | null;
  /** What a request that moves no money itself made: a schedule id, a run id, a plan entry. */
  resultRef: string | null;
  failure: { code: string; message: string } | null;
  /**
   * What Stripe shows now, read back at each webhook. Top-ups: pending until succeeded, failed, canceled or reversed.
   * Transfers: null until Stripe shows some of it reversed.
   */
  settlement: Settlement | null;
  /** Transfers: how much Stripe shows reversed, in minor units of `money.currency` (a partial reversal is less than all). */
  amountReversed: number;
  /** Where the approval message is, so every step updates it instead of posting anew. */
  message: { channel: string; ts: string } | null;
  updatedAt: string;
}

/** Kinds whose execution calls Stripe directly; the others change our own records (and may start runs). */
export const MONEY_MOVING_KINDS: ReadonlySet<RequestKind> = new Set(['topup', 'transfer']);
