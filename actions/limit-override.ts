import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { CommandDeps } from '../src/deps.js';
import { replyOnAppError } from '../src/slack/app-errors.js';
import { requestSummary } from '../src/slack/blocks/requests.js';
import { ACTION_IDS } from '../src/slack/ids.js';
import { ephemeralReply } from '../src/slack/replies.js';

/**
 * "Override the daily limit", on the ops notice and on an approver's Home tab: asks two approvers (an `override`
 * request, posted and decided like any other) to let that one held payment go today. The button carries only the
 * payment's reference; from the Home tab the reply comes as a DM from the app.
 */
export function register(app: App, deps: CommandDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.limitOverride, async ({ ack, body, action, client }) => {
    await ack();
    const reply = ephemeralReply(client, body.channel?.id, body.user.id);
    await replyOnAppError(reply, async () => {
      const request = await deps.requests.create({
        kind: 'override',
        teamId: body.team?.id ?? '',
        requestedBy: body.user.id,
        description: null,
        override: action.value ?? '',
      });
      await reply(
        `:inbox_tray: Asked two approvers to ${requestSummary(request)} (\`${request.id}\`). Until then it waits.`,
      );
    });
  });
}
