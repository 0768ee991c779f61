import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { CommandDeps } from '../src/deps.js';
import { majorUnitsText } from '../src/domain/money.js';
import { formatDay } from '../src/slack/blocks/funding.js';
import { moneyRequestModal } from '../src/slack/blocks/request-modals.js';
import { ACTION_IDS } from '../src/slack/ids.js';
import { ephemeralReply } from '../src/slack/replies.js';

/** The shortfall notice's Request top-up button: the top-up modal, prefilled with the shortfall, approved as usual. */
export function register(app: App, deps: CommandDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.fundingRequestTopup, async ({ ack, body, action, client }) => {
    await ack();
    const reply = ephemeralReply(client, body.channel?.id, body.user.id);
    const notice = await deps.funding.notice(action.value ?? '');
    if (notice?.status !== 'open') return reply('This shortfall is no longer open: see `/payout forecast`.');
    if (!(await deps.access.has(body.user.id, 'requester')))
      return reply(':lock: Only payout requesters can ask for a top-up.');
    const prefill = {
      amount: majorUnitsText(notice),
      currency: notice.currency,
      description: `Shortfall on ${formatDay(notice.day)}`,
    };
    await client.views.open({
      trigger_id: body.trigger_id,
      view: moneyRequestModal('topup', { channelId: body.channel?.id ?? body.user.id }, prefill),
    });
  });
}
