import type { App } from '@slack/bolt';
import type { CommandDeps } from '../src/deps.js';
import { allowed } from '../src/slack/allowed.js';
import { moneyRequestModal } from '../src/slack/blocks/request-modals.js';
import { SHORTCUT_IDS } from '../src/slack/ids.js';
import { modalCurrencies } from '../src/slack/modal-currencies.js';
import { ephemeralReply } from '../src/slack/replies.js';

/** "Request a transfer" and "Request a top-up" open the same modals as the command (views/money-request-submitted.ts). */
export function register(app: App, deps: CommandDeps): void {
  for (const kind of ['transfer', 'topup'] as const) {
    app.shortcut(SHORTCUT_IDS[kind], async ({ ack, shortcut, client }) => {
      await ack();
      // Opened from no channel: the modal's answers go to the person's DM with the bot.
      const reply = ephemeralReply(client, undefined, shortcut.user.id);
      if (!(await allowed(deps, { userId: shortcut.user.id, reply }, 'requester'))) return;
      await client.views.open({
        trigger_id: shortcut.trigger_id,
        view: moneyRequestModal(kind, { channelId: '' }, {}, await modalCurrencies(deps.treasury, kind)),
      });
    });
  }
}
