import type { FreezeScope, LimitLeft } from './controls.types.js';
import type { Problem } from './errors.js';
import type { Money } from './money.types.js';
import type { RequestKind, RequestState } from './request-kinds.js';
import type { ScheduleTime } from './schedule-time.js';

export type { RequestKind, RequestState } from './request-kinds.js';

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

/** What every request carries, whatever its kind. */
export interface RequestBase {
  id: string;
  teamId: string;
  requestedBy: string;
  requestedAt: string;
  /** The headline amount; for runs and run schedules the largest per-currency total; for an unfreeze zero. */
  money: Money;
  /** Per currency: what the approval policy applies to (a run's totals; otherwise just `money`). */
  totals: Money[];
  description: string | null;
  /** The platform's available balance in this currency when it was requested, shown to approvers. */
  availableAtRequest: Money | null;
  state: RequestState;
  /** 1 or 2 by the amount; one more while the seller's bank account has just changed. */
  requiredApprovals: number;
  approvals: Approval[];
  rejection: { userId: string; reason: string; at: string } | null;
  expiresAt: string;
  executingSince: string | null;
  attempts: number;
  stripeId: string | null;
  /** What a request that moves no money itself made: a schedule id, a run id, a plan entry. */
  resultRef: string | null;
  /** Why it failed: a problem (code and params), or the words Stripe or an older record gave. */
  failure: Problem | { code: string; message: string } | null;
  /**
   * What Stripe shows now, read back at each webhook. Top-ups: pending until succeeded, failed, canceled or reversed.
   * Transfers: null until Stripe shows some of it reversed.
   */
  settlement: Settlement | null;
  /** Transfers: how much Stripe shows reversed, in minor units of `money.currency` (a partial reversal is less than all). */
  amountReversed: number;
  /** Where the approval message is, so every step updates it instead of posting anew. */
  message: { channel: string; ts: string } | null;
  /** An executing payment the kill switch or a daily limit holds: it waits (a delayed job) rather than fails. */
  waitingOn?: { code: 'payments_frozen' | 'daily_limit'; since: string } | null;
  updatedAt: string;
}

/** The seller a transfer or a plan change is for. */
export interface Payee {
  userId: string;
  accountId: string;
  /** The seller's name when the request was made, for plain text where mentions do not render (absent on older records). */
  name?: string;
}

/** One more approver than the amount needs: the seller's bank account changed recently. */
export interface BankChangeHold {
  userId: string;
  changedAt: string;
  until: string;
}

interface SellerFacts {
  destination: Payee;
  /** Present while the seller's bank account has just changed. */
  bankChangeHold?: BankChangeHold;
  /** Words written by records older than `bankChangeHold`. */
  extraApprovalReason?: string;
}

/** Transfers and runs: the funds for each currency they move, refreshed at each click (absent on older requests). */
interface FundsFacts {
  funds?: FundsCheck | null;
  /** What today's daily limits leave, refreshed with the funds (absent: no limit applies). */
  limitsLeft?: LimitLeft[];
}

export interface TopupRequest extends RequestBase {
  kind: 'topup';
  /** What the bank statement shows (at most 15 characters). */
  statementDescriptor: string | null;
}

export interface TransferRequest extends RequestBase, SellerFacts, FundsFacts {
  kind: 'transfer';
  /** An approved transfer the balance cannot cover yet: it waits (the sweeper tries again) instead of failing. */
  heldForFunds?: { short: Money; since: string } | null;
}

export interface PlanRequest extends RequestBase, SellerFacts {
  kind: 'plan';
  /** What the seller got in every run until now, when they were in the plan already. */
  replaces?: Money;
}

/** A new schedule, made when approved. */
export interface ScheduleRequest extends RequestBase {
  kind: 'schedule';
  schedule: ScheduleDraft;
}

/** A paused schedule turned back on: `schedule` is what it pays, as it was when paused. */
export interface ResumeRequest extends RequestBase {
  kind: 'resume';
  schedule: ScheduleDraft;
}

export interface RunRequest extends RequestBase, FundsFacts {
  kind: 'run';
  /** What the card and the funds check need; the lines are kept apart from the record (`RequestStore.runLines`). */
  run: RunSummary;
}

export interface UnfreezeRequest extends RequestBase {
  kind: 'unfreeze';
  /** The freeze to lift. */
  unfreeze: FreezeScope;
}

export interface FundingRequest extends RequestBase {
  kind: 'funding';
}

/** Lets one payment a daily limit holds go today; `money` is its amount. */
export interface OverrideRequest extends RequestBase {
  kind: 'override';
  /** The held payment: its reference and the seller's account. */
  override: { payoutRef: string; accountId: string };
}

/**
 * One request, by kind: the compiler knows what each kind carries. Stored as JSON with these same fields (older
 * records also carry the fields of other kinds as null, which nothing reads).
 */
export type PayoutRequest =
  | TopupRequest
  | TransferRequest
  | PlanRequest
  | ScheduleRequest
  | ResumeRequest
  | RunRequest
  | UnfreezeRequest
  | FundingRequest
  | OverrideRequest;

/** The request of one kind: `RequestOf<'run'>`. */
export type RequestOf<K extends RequestKind> = Extract<PayoutRequest, { kind: K }>;

/** What a run request is made of. */
export interface RunDraft {
  source: 'plan' | 'csv' | 'retry';
  lines: RunLineDraft[];
}

/** How many of a run's first lines are kept in order (a run request's summary, a run's store): what their cards show. */
export const RUN_HEAD_LINES = 10;

/** A run request as its record keeps it: a few hundred bytes, however many lines (its totals are the request's `totals`). */
export interface RunSummary {
  source: RunDraft['source'];
  lineCount: number;
  sellerCount: number;
  /** The first lines, for the card. */
  head: RunLineDraft[];
}

export const summarizeRun = ({ source, lines }: RunDraft): RunSummary => ({
  source,
  lineCount: lines.length,
  sellerCount: new Set(lines.map((l) => l.userId)).size,
  head: lines.slice(0, RUN_HEAD_LINES),
});

/** Kinds whose execution calls Stripe directly; the others change our own records (and may start runs). */
export const MONEY_MOVING_KINDS: ReadonlySet<RequestKind> = new Set(['topup', 'transfer']);
