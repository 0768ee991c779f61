import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { AppDeps } from '../src/deps.js';
import { isAppError } from '../src/domain/errors.js';
import type { ClickResult } from '../src/domain/requests.js';
import { readDescription } from '../src/domain/text.js';
import { MONEY_MOVING_KINDS } from '../src/domain/requests.types.js';
import { rejectModal } from '../src/slack/blocks/request-modals.js';
import { ACTION_IDS, REJECT_FIELDS, VIEW_IDS } from '../src/slack/ids.js';
import { ephemeralReply } from './reply.js';
import { onSubmission } from './submissions.js';

const CLICK_REPLIES: Partial<Record<ClickResult['outcome'], (r: ClickResult) => string>> = {
  approved: (r) =>
    r.request && MONEY_MOVING_KINDS.has(r.request.kind)
      ? ':white_check_mark: Approved. The payment is queued; the approval message will show its progress.'
      : ':white_check_mark: Approved. It takes effect now; the approval message shows when it is done.',
  awaiting_second: (r) => `:white_check_mark: Your approval is recorded (${r.request?.approvals.length ?? 1} of ${r.request?.requiredApprovals ?? 2}). Another, different approver is needed.`,
  rejected: () => ':no_entry_sign: Rejected. The requester has been told why.',
};

const replyFor = (result: ClickResult) => ('message' in result ? `:information_source: ${result.message}` : (CLICK_REPLIES[result.outcome]?.(result) ?? ''));

/**
 * Approve and Reject: the button's value is only the request id; state and permissions are re-read from Redis
 * in the domain. Where a click counts (the approvals channel of our own workspace and app) is the origin guard's.
 */
export function registerDecisionListeners(app: App, deps: AppDeps): void {
  // The channel's buttons and those of "Waiting for you" (Home tab, `/payout pending`): one decide path.
  const fromHome = (body: BlockAction) => body.view?.type === 'home';
  const approve = async ({ ack, body, action, client }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & { client: AllMiddlewareArgs['client'] }) => {
    await ack();
    const reply = ephemeralReply(client, body.channel?.id, body.user.id);
    const log = deps.logger.child({ subject: action.value, userId: body.user.id, event: 'request.approve_click' });
    const result = await deps.requests.approve(action.value ?? '', body.user.id);
    log.info({ outcome: result.outcome, fromHome: fromHome(body) }, 'approval click');
    if (fromHome(body)) await deps.home.publish(body.team?.id ?? result.request?.teamId ?? '', body.user.id);
    await reply(replyFor(result));
  };
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.approve, approve);
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.waitingApprove, approve);

  const reject = async ({ ack, body, action, client }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & { client: AllMiddlewareArgs['client'] }) => {
    await ack();
    const reply = ephemeralReply(client, body.channel?.id, body.user.id);
    const refusal = await deps.requests.canDecide(action.value ?? '', body.user.id);
    if (refusal) return reply(replyFor(refusal));
    await client.views.open({
      trigger_id: body.trigger_id,
      view: rejectModal({ requestId: action.value ?? '', channelId: body.channel?.id ?? '', messageTs: body.message?.ts ?? '' }),
    });
  };
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.reject, reject);
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.waitingReject, reject);

  onSubmission(app, deps, VIEW_IDS.reject, async ({ ack, body, view, client }) => {
    let reason: string | null;
    try {
      reason = readDescription(view.state.values[REJECT_FIELDS.reason.block]?.[REJECT_FIELDS.reason.action]?.value, 'reason');
    } catch (error) {
      if (!isAppError(error)) throw error;
      return ack({ response_action: 'errors', errors: { [REJECT_FIELDS.reason.block]: error.userMessage } });
    }
    if (!reason) return ack({ response_action: 'errors', errors: { [REJECT_FIELDS.reason.block]: 'Say why, so the requester knows what to change.' } });
    await ack();
    const { requestId, channelId } = JSON.parse(view.private_metadata) as { requestId: string; channelId: string };
    const result = await deps.requests.reject(requestId, body.user.id, reason);
    deps.logger.info({ subject: requestId, userId: body.user.id, outcome: result.outcome, event: 'request.reject_submit' }, 'rejection');
    // From a Home tab there is no channel: the answer goes to the person's DM with the bot.
    await ephemeralReply(client, channelId || undefined, body.user.id)(replyFor(result));
  });
}
