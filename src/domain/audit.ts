import type { Money } from './money.js';

/** One line of the append-only audit log: who did what to which request, run or schedule, when, with what money. */
export interface AuditEntry {
  at: string;
  actor: string; // Slack user id, "system" or "stripe"
  action: string; // e.g. transfer.requested, request.approval, run.line_paid, schedule.created
  /** The request, run or schedule the entry is about. */
  subject: string;
  /** The payment it concerns, when it concerns one (src/domain/payments.ts). */
  payoutRef?: string;
  kind: string;
  /** Every currency it moves or promises, in minor units; empty when it concerns no money. */
  amounts: Money[];
  /** Who is paid: the seller and their Stripe account. */
  payee?: { userId: string; accountId: string };
  state: string;
  stripeId?: string;
  detail?: string;
}

export interface AuditLog {
  latest(count: number): Promise<(AuditEntry & { id: string })[]>;
  /** Entries from `from` (inclusive) to `to` (exclusive), oldest first, a page at a time: a log of any size in flat memory. */
  between(from: Date, to: Date, pageSize?: number): AsyncIterable<AuditEntry & { id: string }>;
  /** For changes that are not request transitions (those append atomically with the change itself). */
  append(entry: AuditEntry): Promise<void>;
}
