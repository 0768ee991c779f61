import type { AuditEntry } from '../../domain/audit.js';
import { formatMoney, type Money } from '../../domain/money.js';
import { escapeMrkdwn, mention } from '../mrkdwn.js';
import { type SlackMessage, section } from './common.js';
import { LIMITS } from './limits.js';
import { listBlocks } from './list.js';

const actorText = (actor: string) => (/^[UW][A-Z0-9]+$/.test(actor) ? mention(actor) : actor);
const amountsText = (amounts: Money[]) => amounts.map((m) => formatMoney(m)).join(' + ') || '—';

function auditLine(e: AuditEntry & { id: string }): string {
  try {
    const ref = e.payoutRef ? ` \`${e.payoutRef}\`` : '';
    const payee = e.payee ? ` to ${mention(e.payee.userId)} (\`${e.payee.accountId}\`)` : '';
    const stripe = e.stripeId ? ` · \`${e.stripeId}\`` : '';
    const detail = e.detail ? ` · ${escapeMrkdwn(e.detail)}` : '';
    return `\`${e.at.slice(0, 19).replace('T', ' ')}\` ${actorText(e.actor)} *${escapeMrkdwn(e.action)}* \`${e.subject}\`${ref} ${amountsText(e.amounts)}${payee} → ${escapeMrkdwn(e.state)}${stripe}${detail}`;
  } catch {
    // One odd entry (a currency this code does not know) must not hide the rest of the log.
    return `\`${e.id}\` (an entry I could not read: it is in the CSV export)`;
  }
}

export function auditList(entries: (AuditEntry & { id: string })[]): SlackMessage {
  const rows = listBlocks(entries, auditLine, {
    maxBlocks: LIMITS.messageBlocks - 1,
    moreLabel: '`/payout audit export` sends you all of it as a CSV file.',
  });
  return {
    text: `Audit log (latest ${entries.length})`,
    blocks: [section(`*Audit log* (latest ${entries.length})`), ...rows],
  };
}
