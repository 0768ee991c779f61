import { plain } from '../src/slack/blocks/common.js';
import type { Subcommand } from './types.js';

export function helpCommand(list: () => Subcommand[]): Subcommand {
  return {
    name: 'help',
    usage: '/payout help',
    summary: 'show the commands',
    async run(ctx) {
      const lines = list().map((c) => `• \`${c.usage}\` — ${c.summary}`);
      await ctx.reply(
        plain(
          `*Payout commands*\n${lines.join('\n')}\nAmounts are in major units (\`10.50\`), currencies are ISO codes (\`usd\`, \`eur\`).`,
        ),
      );
    },
  };
}
