import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { CommandDeps } from '../src/deps.js';
import { formatTotals } from '../src/slack/blocks/payouts.js';
import { ACTION_IDS } from '../src/slack/ids.js';
import { ephemeralReply } from '../src/slack/replies.js';

/** Start on a held run's notice: an approver starts it once the funds are there. */
export function register(app: App, deps: CommandDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.runStart, async ({ ack, body, action, client }) => {
    await ack();
    const reply = ephemeralReply(client, body.channel?.id, body.user.id);
    if (!(await deps.access.has(body.user.id, 'approver'))) return reply(':lock: Only approvers can start a held run.');
    const run = await deps.runs.start(action.value ?? '');
    await reply(
      run.status === 'held'
        ? `:raised_hand: Still short by ${formatTotals(run.shortfall)}; nothing was paid.`
        : ':arrow_forward: The run has started.',
    );
  });
}
