import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { askForRun } from '../commands/run.js';
import type { CommandDeps } from '../src/deps.js';
import { ACTION_IDS } from '../src/slack/ids.js';
import { ephemeralReply } from '../src/slack/replies.js';

/** Retry on a run's summary: a new run of its failed lines, approved like any run. */
export function register(app: App, deps: CommandDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.runRetry, async ({ ack, body, action, client }) => {
    await ack();
    const reply = ephemeralReply(client, body.channel?.id, body.user.id);
    if (!(await deps.access.has(body.user.id, 'requester')))
      return reply(':lock: Only payout requesters can ask for a retry.');
    const failed = await deps.runs.failedLines(action.value ?? '');
    if (failed.length === 0) return reply('No failed lines to retry.');
    await askForRun(
      deps,
      { userId: body.user.id, teamId: body.team?.id ?? '' },
      'retry',
      failed.map(({ key, userId, accountId, money, description }) => ({ key, userId, accountId, money, description })),
      reply,
    );
  });
}
