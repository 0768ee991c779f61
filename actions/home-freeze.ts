import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { CommandDeps } from '../src/deps.js';
import { noticeModal } from '../src/slack/blocks/common.js';
import { freezeModal, NOT_AN_APPROVER } from '../src/slack/blocks/controls.js';
import { ACTION_IDS } from '../src/slack/ids.js';

/**
 * "Freeze all payouts" on an approver's Home tab: after Slack's confirm, the modal asks why. Only approvers see the
 * button, but a click is re-checked here (and the submission again), since anyone can send one.
 */
export function register(app: App, deps: CommandDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.homeFreeze, async ({ ack, body, client }) => {
    await ack();
    const approver = await deps.access.has(body.user.id, 'approver');
    await client.views.open({
      trigger_id: body.trigger_id,
      view: approver ? freezeModal() : noticeModal('Not allowed', NOT_AN_APPROVER),
    });
  });
}
