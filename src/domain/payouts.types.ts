import type { RecordedProblem } from './errors.js';
import type { Money } from './money.js';
import type { RunLineDraft, Settlement } from './requests.types.js';
import type { ScheduleTime } from './schedule-time.js';

/** A seller's standing amount, paid by every payout run. Each change was approved like a transfer of that amount. */
export interface PlanEntry {
  teamId: string;
  userId: string;
  accountId: string;
  money: Money;
  description: string | null;
  approvedBy: string[];
  requestId: string;
  updatedAt: string;
  /** Why runs skip this line for now (the seller disconnected); absent while it is paid. */
  pausedReason?: string;
}

/** The plan lines a run pays: paused ones wait. */
export const unpausedLines = (entries: PlanEntry[]): PlanEntry[] => entries.filter((e) => !e.pausedReason);

export interface Schedule {
  id: string;
  teamId: string;
  action: 'topup' | 'run';
  time: ScheduleTime;
  money: Money | null;
  description: string | null;
  status: 'active' | 'paused' | 'deleted';
  requestedBy: string;
  approvedBy: string[];
  /** Firings before this instant belong to nobody: the schedule did not exist yet. */
  activeSince: string;
  updatedAt: string;
}

/** One firing of a schedule: the period it pays for, and whether it has run. */
export interface Firing {
  periodKey: string;
  scheduleId: string;
  intendedAt: string;
  startedAt: string;
  status: 'started' | 'done';
  late: boolean;
  result: string | null;
  /** A top-up firing: what Stripe shows for its top-up now, read back at each webhook. */
  settlement?: Settlement | null;
}

export type RunLineStatus = 'pending' | 'paid' | 'failed';

export interface RunLine extends RunLineDraft {
  status: RunLineStatus;
  stripeId: string | null;
  reason: RecordedProblem | null;
  /** How much of a paid line Stripe shows reversed, in minor units (absent: none). */
  amountReversed?: number;
}

/**
 * A payout run: one transfer job per line, each keyed by run id + line key, so a crash mid-run resumes without paying twice.
 * new · held: the balance was short when it was about to start · running · done: every line paid or failed.
 */
export interface Run {
  id: string;
  teamId: string;
  source: 'plan' | 'csv' | 'retry' | 'schedule';
  requestId: string | null;
  scheduleId: string | null;
  requestedBy: string | null;
  /** Who approved it: the run request's approvers, or the schedule's (absent on older runs). */
  approvedBy?: string[];
  totals: Money[];
  lineCount: number;
  status: 'new' | 'held' | 'running' | 'done';
  shortfall: Money[];
  /** The message that shows the run's progress (the approval message, or a post in ops for scheduled runs). */
  message: { channel: string; ts: string } | null;
  createdAt: string;
  updatedAt: string;
}

export { RUN_HEAD_LINES } from './requests.types.js';

export interface RunCounts {
  pending: number;
  paid: number;
  failed: number;
  /** Paid amounts per currency, in minor units. */
  paidTotals: Money[];
  /** Amounts Stripe shows reversed after they were paid, per currency. */
  reversedTotals: Money[];
}
