import type { AppDeps } from '../src/deps.js';
import type { AuditEntry } from '../src/domain/audit.js';
import { formatMoney } from '../src/domain/money.js';
import { section, type SlackMessage } from '../src/slack/blocks/common.js';
import { LIMITS } from '../src/slack/blocks/limits.js';
import { listBlocks } from '../src/slack/blocks/list.js';
import { escapeMrkdwn, mention } from '../src/slack/mrkdwn.js';
import { toCsv } from './csv-export.js';
import { allowed } from './guards.js';
import type { Subcommand } from './types.js';

const DEFAULT_COUNT = 20;
const MAX_SHOWN = 100;
const MAX_EXPORT = 10_000;
const CSV_COLUMNS = ['at', 'actor', 'action', 'requestId', 'kind', 'amount', 'currency', 'state', 'stripeId', 'detail'] as const;

export const auditCsv = (entries: AuditEntry[]): string => toCsv(CSV_COLUMNS, entries.map((e) => CSV_COLUMNS.map((c) => e[c])));

const actorText = (actor: string) => (/^[UW][A-Z0-9]+$/.test(actor) ? mention(actor) : actor);

function auditLine(e: AuditEntry): string {
  const stripe = e.stripeId ? ` · \`${e.stripeId}\`` : '';
  const detail = e.detail ? ` · ${escapeMrkdwn(e.detail)}` : '';
  return `\`${e.at.slice(0, 19).replace('T', ' ')}\` ${actorText(e.actor)} *${e.action}* \`${e.requestId}\` ${formatMoney({ amount: e.amount, currency: e.currency })} → ${e.state}${stripe}${detail}`;
}

export function auditList(entries: AuditEntry[]): SlackMessage {
  const rows = listBlocks(entries, auditLine, { maxBlocks: LIMITS.messageBlocks - 1, moreLabel: '`/payout audit export` sends you all of it as a CSV file.' });
  return { text: `Audit log (latest ${entries.length})`, blocks: [section(`*Audit log* (latest ${entries.length})`), ...rows] };
}

export function auditCommand(deps: AppDeps): Subcommand {
  const usage = '/payout audit [n] | /payout audit export';
  return {
    name: 'audit',
    usage,
    summary: 'the latest entries of the append-only audit log, or all of it as CSV',
    async run(ctx) {
      const [arg] = ctx.args;
      if (!(await allowed(deps, ctx, 'staff'))) return;
      if (arg === 'export') {
        const entries = await deps.audit.latest(MAX_EXPORT);
        await deps.messenger.dmFile(ctx.userId, { filename: `payout-audit-${new Date().toISOString().slice(0, 10)}.csv`, content: auditCsv(entries), title: 'Payout audit log', comment: `${entries.length} audit entries.` });
        return ctx.reply(`:page_facing_up: Sent you the audit log (${entries.length} entries) as CSV in a DM.`);
      }
      const count = arg === undefined ? DEFAULT_COUNT : Number(arg);
      if (!Number.isInteger(count) || count < 1 || count > MAX_SHOWN) return ctx.reply(`Give a number of entries from 1 to ${MAX_SHOWN}: \`${usage}\`.`);
      const entries = await deps.audit.latest(count);
      if (entries.length === 0) return ctx.reply('The audit log is empty.');
      await ctx.reply(auditList(entries));
    },
  };
}
