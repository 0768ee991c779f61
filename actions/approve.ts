import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { CommandDeps } from '../src/deps.js';
import { clickReply } from '../src/slack/blocks/click-replies.js';
import { ACTION_IDS } from '../src/slack/ids.js';
import { ephemeralReply } from '../src/slack/replies.js';
import type { ButtonClick } from './button-click.js';

/**
 * Approve, in the approvals channel and in "Waiting for you" (Home tab, `/payout pending`): the button's value is
 * only the request id; state and permissions are re-read in the domain.
 */
export function register(app: App, deps: CommandDeps): void {
  const approve = async ({ ack, body, action, client }: ButtonClick) => {
    await ack();
    const fromHome = body.view?.type === 'home';
    const reply = ephemeralReply(client, body.channel?.id, body.user.id);
    const log = deps.logger.child({ subject: action.value, userId: body.user.id, event: 'request.approve_click' });
    const result = await deps.requests.approve(action.value ?? '', body.user.id);
    log.info({ outcome: result.outcome, fromHome }, 'approval click');
    if (fromHome) await deps.home.publish(body.team?.id ?? result.request?.teamId ?? '', body.user.id);
    await reply(clickReply(result));
  };
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.approve, approve);
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.waitingApprove, approve);
}
