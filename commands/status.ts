import type { CommandDeps } from '../src/deps.js';
import { allowed } from '../src/slack/allowed.js';
import { sellerStatus } from '../src/slack/blocks/sellers.js';
import { mention, parseUserMention } from '../src/slack/mrkdwn.js';
import type { Subcommand } from './types.js';

export function statusCommand(deps: CommandDeps): Subcommand {
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
      await ctx.reply(
        seller
          ? sellerStatus(seller)
          : `${mention(userId)} is not a seller yet. Invite them with \`/payout invite ${mention(userId)}\`.`,
      );
    },
  };
}
