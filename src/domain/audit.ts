/** One line of the append-only audit log: who did what to which request, when, with which amounts and Stripe ids. */
export interface AuditEntry {
  at: string;
  actor: string; // Slack user id, or "system"
  action: string; // e.g. request.created, request.approved, request.completed
  requestId: string;
  kind: string;
  amount: number;
  currency: string;
  state: string;
  stripeId?: string;
  detail?: string;
}

export interface AuditLog {
  latest(count: number): Promise<(AuditEntry & { id: string })[]>;
  /** For changes that are not request transitions (those append atomically with the change itself). */
  append(entry: AuditEntry): Promise<void>;
}
