import type { App } from '@slack/bolt';
import type { CommandDeps } from '../src/deps.js';
import { clip, LIMITS } from '../src/slack/blocks/limits.js';
import { ACTION_IDS } from '../src/slack/ids.js';

/** The transfer modal's seller picker finds payable sellers as you type, through a name index: a static list would stop at 100. */
export function register(app: App, deps: CommandDeps): void {
  app.options(ACTION_IDS.sellerPicker, async ({ ack, body }) => {
    const sellers = await deps.sellers.findPayable(body.team?.id ?? '', body.value ?? '', LIMITS.externalSelectOptions);
    await ack({
      options: sellers.map((s) => ({
        text: {
          type: 'plain_text' as const,
          text: clip(`${s.displayName ?? s.userId} (${s.accountId})`, LIMITS.optionText),
        },
        value: s.userId,
      })),
    });
  });
}
