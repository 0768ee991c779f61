import type { CommandDeps } from '../src/deps.js';
import { formatMoney } from '../src/domain/money.js';
import { allowed } from '../src/slack/allowed.js';
import { replyOnAppError } from '../src/slack/app-errors.js';
import { plain } from '../src/slack/blocks/common.js';
import type { Subcommand } from './types.js';

export function balanceCommand(deps: CommandDeps): Subcommand {
  return {
    name: 'balance',
    usage: '/payout balance',
    summary: "the platform's available and pending balance per currency",
    async run(ctx) {
      if (!(await allowed(deps, ctx, 'staff'))) return;
      await replyOnAppError(ctx.reply, async () => {
        const lines = (await deps.treasury.balance()).map(
          (b) =>
            `• *${b.currency.toUpperCase()}*: ${formatMoney(b.available)} available · ${formatMoney(b.pending)} pending`,
        );
        await ctx.reply(plain(`*Platform balance*\n${lines.join('\n') || 'No balance yet.'}`));
      });
    },
  };
}
