import type { AuditEntry } from './audit.js';
import { type Money, majorUnitsText } from './money.js';

/** RFC 4180 quoting, and a leading ' on cells a spreadsheet would run as a formula. */
export const csvCell = (value: unknown) => {
  let text = value === undefined || value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const toCsv = (columns: readonly string[], rows: readonly (readonly unknown[])[]): string =>
  `${[columns.join(','), ...rows.map((row) => row.map(csvCell).join(','))].join('\n')}\n`;

const AUDIT_COLUMNS = [
  'time',
  'actor',
  'action',
  'payout_ref',
  'subject',
  'kind',
  'payee',
  'account',
  'amount',
  'currency',
  'amount_minor',
  'state',
  'stripe_id',
  'detail',
] as const;

/** One row per currency an entry moves (a run paying EUR and USD is two rows), so a spreadsheet can sum by currency. */
function auditRows(e: AuditEntry): string[] {
  const amounts: (Money | undefined)[] = e.amounts.length > 0 ? e.amounts : [undefined];
  return amounts.map((money) => {
    const row: Record<(typeof AUDIT_COLUMNS)[number], unknown> = {
      time: e.at,
      actor: e.actor,
      action: e.action,
      payout_ref: e.payoutRef,
      subject: e.subject,
      kind: e.kind,
      payee: e.payee?.userId,
      account: e.payee?.accountId,
      amount: money ? majorUnitsText(money) : '',
      currency: money?.currency.toUpperCase(),
      amount_minor: money?.amount,
      state: e.state,
      stripe_id: e.stripeId,
      detail: e.detail,
    };
    return AUDIT_COLUMNS.map((c) => csvCell(row[c])).join(',');
  });
}

/** The audit log as CSV text, a chunk at a time: the log is read page by page and never held whole. */
export async function* auditCsv(entries: AsyncIterable<AuditEntry> | Iterable<AuditEntry>): AsyncGenerator<string> {
  yield `${AUDIT_COLUMNS.join(',')}\n`;
  for await (const entry of entries) yield `${auditRows(entry).join('\n')}\n`;
}
