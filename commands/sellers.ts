import type { CommandDeps } from '../src/deps.js';
import { allowed } from '../src/slack/allowed.js';
import { sellerList } from '../src/slack/blocks/sellers.js';
import { sendCsv } from '../src/slack/send-csv.js';
import type { Subcommand } from './types.js';

export function sellersCommand(deps: CommandDeps): Subcommand {
  return {
    name: 'sellers',
    usage: '/payout sellers [export]',
    summary: 'list sellers and whether each can be paid (all of them as CSV with `export`)',
    async run(ctx) {
      const [what] = ctx.args;
      if (ctx.args.length > 1 || (what !== undefined && what.toLowerCase() !== 'export')) return ctx.reply('Use `/payout sellers`, or `/payout sellers export` for all of them as a CSV file.');
      if (!(await allowed(deps, ctx, 'staff'))) return;
      const sellers = await deps.sellers.list(ctx.teamId);
      if (what === undefined) return ctx.reply(sellerList(sellers));
      await sendCsv(deps, ctx.userId, ctx.reply, {
        name: 'sellers',
        title: 'The sellers',
        rows: 'sellers',
        columns: ['seller', 'account', 'country', 'state', 'still_due', 'invited_at'],
        data: sellers.map((s) => [s.userId, s.accountId, s.country, s.state, s.currentlyDue.join(' '), s.invitedAt]),
      });
    },
  };
}
