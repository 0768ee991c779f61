import type { CommandDeps } from '../src/deps.js';
import { allowed } from '../src/slack/allowed.js';
import { pendingMessage } from '../src/slack/blocks/home.js';
import type { Subcommand } from './types.js';

/** `/payout pending`: the Home tab's "Waiting for you", for people who live in channels. */
export function pendingCommand(deps: CommandDeps): Subcommand {
  return {
    name: 'pending',
    usage: '/payout pending',
    summary: 'what waits for your decision, with Approve and Reject',
    async run(ctx) {
      if (!(await allowed(deps, ctx, 'approver'))) return;
      await ctx.reply(pendingMessage(await deps.requests.waitingFor(ctx.userId)));
    },
  };
}
