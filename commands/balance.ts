import type { AppDeps } from '../src/deps.js';
import { isAppError } from '../src/domain/errors.js';
import { formatMoney, type Money } from '../src/domain/money.js';
import { plain } from '../src/slack/blocks/common.js';
import { allowed } from './guards.js';
import type { Subcommand } from './types.js';

export function balanceCommand(deps: AppDeps): Subcommand {
  return {
    name: 'balance',
    usage: '/payout balance',
    summary: "the platform's available and pending balance per currency",
    async run(ctx) {
      if (!(await allowed(deps, ctx, 'staff'))) return;
      try {
        const { available, pending } = await deps.gateway.balance();
        const currencies = [...new Set([...available, ...pending].map((m) => m.currency))].sort();
        const find = (list: Money[], currency: string) => list.find((m) => m.currency === currency) ?? { amount: 0, currency };
        const lines = currencies.map((c) => `• *${c.toUpperCase()}*: ${formatMoney(find(available, c))} available · ${formatMoney(find(pending, c))} pending`);
        await ctx.reply(plain(`*Platform balance*\n${lines.join('\n') || 'No balance yet.'}`));
      } catch (error) {
        if (!isAppError(error)) throw error;
        await ctx.reply(`:x: ${error.userMessage}`);
      }
    },
  };
}
