import type { CommandDeps } from '../src/deps.js';
import { allowed } from '../src/slack/allowed.js';
import { SELLERS_PER_PAGE, sellerList } from '../src/slack/blocks/sellers.js';
import { sendCsv } from '../src/slack/send-csv.js';
import { parsePage } from './args.js';
import type { Subcommand } from './types.js';

export function sellersCommand(deps: CommandDeps): Subcommand {
  return {
    name: 'sellers',
    usage: '/payout sellers [page] | /payout sellers export',
    summary: 'list sellers and whether each can be paid, a page at a time (all of them as CSV with `export`)',
    async run(ctx) {
      const [what = '1'] = ctx.args;
      const page = parsePage(what);
      if (ctx.args.length > 1 || (page === undefined && what.toLowerCase() !== 'export'))
        return ctx.reply('Use `/payout sellers [page]`, or `/payout sellers export` for all of them as a CSV file.');
      if (!(await allowed(deps, ctx, 'staff'))) return;
      if (page !== undefined)
        return ctx.reply(
          sellerList(await deps.sellers.page(ctx.teamId, (page - 1) * SELLERS_PER_PAGE, SELLERS_PER_PAGE), page),
        );
      const sellers = await deps.sellers.list(ctx.teamId);
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
