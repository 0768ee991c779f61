import type { AppDeps } from '../src/deps.js';
import { sellerList, sellerStatus } from '../src/slack/blocks/sellers.js';
import { mention } from '../src/slack/mrkdwn.js';
import { parseUserMention } from '../src/domain/ids.js';
import { allowed } from './guards.js';
import type { Subcommand } from './types.js';

export function sellersCommand(deps: AppDeps): Subcommand {
  return {
    name: 'sellers',
    usage: '/payout sellers',
    summary: 'list sellers and whether each can be paid',
    async run(ctx) {
      if (!(await allowed(deps, ctx, 'staff'))) return;
      await ctx.reply(sellerList(await deps.sellers.list(ctx.teamId)));
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
