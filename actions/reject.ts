import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { CommandDeps } from '../src/deps.js';
import { clickReply } from '../src/slack/blocks/click-replies.js';
import { rejectModal } from '../src/slack/blocks/request-modals.js';
import { ACTION_IDS } from '../src/slack/ids.js';
import { ephemeralReply } from '../src/slack/replies.js';
import type { ButtonClick } from './button-click.js';

/** Reject opens a modal for the reason, when the person could decide now; views/reject-submitted.ts takes it from there. */
export function register(app: App, deps: CommandDeps): void {
  const reject = async ({ ack, body, action, client }: ButtonClick) => {
    await ack();
    const reply = ephemeralReply(client, body.channel?.id, body.user.id);
    const refusal = await deps.requests.canDecide(action.value ?? '', body.user.id);
    if (refusal) return reply(clickReply(refusal));
    await client.views.open({
      trigger_id: body.trigger_id,
      view: rejectModal({
        requestId: action.value ?? '',
        channelId: body.channel?.id ?? '',
        messageTs: body.message?.ts ?? '',
      }),
    });
  };
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.reject, reject);
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.waitingReject, reject);
}
