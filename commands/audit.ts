import type { CommandDeps } from '../src/deps.js';
import { allowed } from '../src/slack/allowed.js';
import { auditList } from '../src/slack/blocks/audit.js';
import { parseDateRange } from './args.js';
import type { Subcommand } from './types.js';

const DEFAULT_COUNT = 20;
const MAX_SHOWN = 100;

export function auditCommand(deps: CommandDeps): Subcommand {
  const usage = '/payout audit [n] | /payout audit export [<from>..<to>]';
  return {
    name: 'audit',
    usage,
    summary: 'the latest entries of the append-only audit log, or a date range of it (UTC days) as CSV',
    async run(ctx) {
      const [arg, range] = ctx.args;
      if (!(await allowed(deps, ctx, 'staff'))) return;
      if (arg === 'export') {
        const window = range === undefined ? undefined : parseDateRange(range);
        if (range !== undefined && !window)
          return ctx.reply(
            `Give the dates as \`YYYY-MM-DD..YYYY-MM-DD\` (UTC, the first not after the second): \`${usage}\`.`,
          );
        const label = range ?? 'all';
        await ctx.reply(`:hourglass_flowing_sand: Exporting the audit log (${label}); it arrives in a DM.`);
        const count = await deps.auditTrail.export(ctx.userId, window, label);
        ctx.log.info({ event: 'audit.exported', entries: count, range: label }, 'audit log exported');
        return ctx.reply(`:page_facing_up: Sent you the audit log (${label}, ${count} entries) as CSV in a DM.`);
      }
      const count = arg === undefined ? DEFAULT_COUNT : Number(arg);
      if (!Number.isInteger(count) || count < 1 || count > MAX_SHOWN)
        return ctx.reply(`Give a number of entries from 1 to ${MAX_SHOWN}: \`${usage}\`.`);
      const entries = await deps.auditTrail.latest(count);
      if (entries.length === 0) return ctx.reply('The audit log is empty.');
      await ctx.reply(auditList(entries));
    },
  };
}
