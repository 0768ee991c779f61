import type { AppDeps } from '../src/deps.js';
import { sellerList, sellerStatus } from '../src/slack/blocks/sellers.js';
import { mention } from '../src/slack/mrkdwn.js';
import { parseUserMention } from '../src/domain/ids.js';
import { sendCsv } from './csv-export.js';
import { allowed } from './guards.js';
import type { Subcommand } from './types.js';

export function sellersCommand(deps: AppDeps): Subcommand {
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

export function statusCommand(deps: AppDeps): Subcommand {
  const usage = '/payout status @user';
  return {
    name: 'status',
    usage,
    summary: "one seller's onboarding state and what Stripe still needs",
    async run(ctx) {
      const userId = parseUserMention(ctx.args[0]);
      if (!userId || ctx.args.length > 1) return ctx.reply(`Mention one seller: \`${usage}\`.`);
      if (!(await allowed(deps, ctx, 'staff'))) return;
      const seller = await deps.sellers.get(ctx.teamId, userId);
      await ctx.reply(seller ? sellerStatus(seller) : `${mention(userId)} is not a seller yet. Invite them with \`/payout invite ${mention(userId)}\`.`);
    },
  };
}
