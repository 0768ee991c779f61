import type { CommandDeps } from '../src/deps.js';
import { unpausedLines } from '../src/domain/payouts.types.js';
import type { RunLineDraft } from '../src/domain/requests.types.js';
import { allowed } from '../src/slack/allowed.js';
import { replyOnAppError } from '../src/slack/app-errors.js';
import { batchModal } from '../src/slack/blocks/batch-modal.js';
import { requestSummary } from '../src/slack/blocks/requests.js';
import type { Reply } from '../src/slack/replies.js';
import type { Subcommand } from './types.js';

/** Asks for approval of a run and tells the person; the command, the CSV modal and Retry all end here. */
export async function askForRun(
  deps: Pick<CommandDeps, 'requests'>,
  who: { userId: string; teamId: string },
  source: 'plan' | 'csv' | 'retry',
  lines: RunLineDraft[],
  reply: Reply,
) {
  await replyOnAppError(reply, async () => {
    const request = await deps.requests.create({
      kind: 'run',
      teamId: who.teamId,
      requestedBy: who.userId,
      description: null,
      run: { source, lines },
    });
    await reply(
      `:inbox_tray: Asked for approval: ${requestSummary(request)} (\`${request.id}\`). The approval message will show the run's progress.`,
    );
  });
}

export function runCommand(deps: CommandDeps): Subcommand {
  return {
    name: 'run',
    usage: '/payout run | /payout run csv',
    summary: 'pay the whole payout plan now, or a CSV batch, after one approval of the whole run',
    opensModal: ([what]) => what === 'csv',
    async run(ctx) {
      if (!(await allowed(deps, ctx, 'requester'))) return;
      const [what] = ctx.args;
      if (what === 'csv') {
        // Read now, after the ack, so the modal can check currencies line by line without calling Stripe itself.
        const held = await deps.treasury.heldCurrencies();
        await ctx.client.views.open({
          trigger_id: ctx.triggerId,
          view: batchModal({ channelId: ctx.channelId, held }),
        });
        return;
      }
      if (what !== undefined)
        return ctx.reply('Use `/payout run` to pay the payout plan, or `/payout run csv` for a batch.');
      const entries = unpausedLines(await deps.payoutPlan.list(ctx.teamId));
      const lines = entries.map((e) => ({
        key: e.userId,
        userId: e.userId,
        accountId: e.accountId,
        money: e.money,
        description: e.description,
      }));
      await askForRun(deps, ctx, 'plan', lines, ctx.reply);
    },
  };
}
