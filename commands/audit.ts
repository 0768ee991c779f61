import type { AppDeps } from '../src/deps.js';
import type { AuditEntry } from '../src/domain/audit.js';
import { formatMoney, majorUnitsText, type Money } from '../src/domain/money.js';
import { section, type SlackMessage } from '../src/slack/blocks/common.js';
import { LIMITS } from '../src/slack/blocks/limits.js';
import { listBlocks } from '../src/slack/blocks/list.js';
import { escapeMrkdwn, mention } from '../src/slack/mrkdwn.js';
import { csvCell } from './csv-export.js';
import { allowed } from './guards.js';
import type { Subcommand } from './types.js';

const DEFAULT_COUNT = 20;
const MAX_SHOWN = 100;
const DAY_MS = 86_400_000;
const CSV_COLUMNS = ['time', 'actor', 'action', 'payout_ref', 'subject', 'kind', 'payee', 'account', 'amount', 'currency', 'amount_minor', 'state', 'stripe_id', 'detail'] as const;

/** One row per currency an entry moves (a run paying EUR and USD is two rows), so a spreadsheet can sum by currency. */
function csvRows(e: AuditEntry): string[] {
  const amounts: (Money | undefined)[] = e.amounts.length > 0 ? e.amounts : [undefined];
  return amounts.map((money) => {
    const row: Record<(typeof CSV_COLUMNS)[number], unknown> = {
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
    return CSV_COLUMNS.map((c) => csvCell(row[c])).join(',');
  });
}

/** The CSV text, a chunk at a time: the log is read page by page and never held whole. */
export async function* auditCsv(entries: AsyncIterable<AuditEntry> | Iterable<AuditEntry>): AsyncGenerator<string> {
  yield `${CSV_COLUMNS.join(',')}\n`;
  for await (const entry of entries) yield `${csvRows(entry).join('\n')}\n`;
}

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

/** `2026-12-01..2026-12-06` (UTC days, both included), or one day; undefined when it is not a range of real dates. */
export function parseDateRange(text: string): { from: Date; to: Date } | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?$/.exec(text);
  if (!match) return undefined;
  const day = (iso: string) => {
    const date = new Date(`${iso}T00:00:00Z`);
    return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso ? undefined : date;
  };
  const from = day(match[1]!);
  const last = day(match[2] ?? match[1]!);
  if (!from || !last || last < from) return undefined;
  return { from, to: new Date(last.getTime() + DAY_MS) };
}

export function auditList(entries: (AuditEntry & { id: string })[]): SlackMessage {
  const rows = listBlocks(entries, auditLine, { maxBlocks: LIMITS.messageBlocks - 1, moreLabel: '`/payout audit export` sends you all of it as a CSV file.' });
  return { text: `Audit log (latest ${entries.length})`, blocks: [section(`*Audit log* (latest ${entries.length})`), ...rows] };
}

export function auditCommand(deps: AppDeps): Subcommand {
  const usage = '/payout audit [n] | /payout audit export [<from>..<to>]';
  return {
    name: 'audit',
    usage,
    summary: 'the latest entries of the append-only audit log, or a date range of it (UTC days) as CSV',
    async run(ctx) {
      const [arg, range] = ctx.args;
      if (!(await allowed(deps, ctx, 'staff'))) return;
      if (arg === 'export') {
        const window = range === undefined ? { from: new Date(0), to: new Date(deps.clock.now().getTime() + DAY_MS) } : parseDateRange(range);
        if (!window) return ctx.reply(`Give the dates as \`YYYY-MM-DD..YYYY-MM-DD\` (UTC, the first not after the second): \`${usage}\`.`);
        const label = range ?? 'all';
        await ctx.reply(`:hourglass_flowing_sand: Exporting the audit log (${label}); it arrives in a DM.`);
        let count = 0;
        const counted = async function* () {
          for await (const entry of deps.audit.between(window.from, window.to)) {
            count++;
            yield entry;
          }
        };
        await deps.messenger.dmFile(ctx.userId, { filename: `payout-audit-${label}.csv`, content: auditCsv(counted()), title: 'Payout audit log', comment: `The payout audit log (${label}).` });
        ctx.log.info({ event: 'audit.exported', entries: count, range: label }, 'audit log exported');
        return ctx.reply(`:page_facing_up: Sent you the audit log (${label}, ${count} entries) as CSV in a DM.`);
      }
      const count = arg === undefined ? DEFAULT_COUNT : Number(arg);
      if (!Number.isInteger(count) || count < 1 || count > MAX_SHOWN) return ctx.reply(`Give a number of entries from 1 to ${MAX_SHOWN}: \`${usage}\`.`);
      const entries = await deps.audit.latest(count);
      if (entries.length === 0) return ctx.reply('The audit log is empty.');
      await ctx.reply(auditList(entries));
    },
  };
}
