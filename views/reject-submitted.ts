import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { CommandDeps } from '../src/deps.js';
import { readDescription } from '../src/domain/text.js';
import { fieldWordsFor } from '../src/slack/app-errors.js';
import { clickReply } from '../src/slack/blocks/click-replies.js';
import { REJECT_FIELDS, VIEW_IDS } from '../src/slack/ids.js';
import { field, readView } from '../src/slack/read-view.js';
import { ephemeralReply } from '../src/slack/replies.js';
import { onSubmission } from './on-submission.js';

const RejectForm = z
  .object({
    [REJECT_FIELDS.reason.block]: field.rawText,
    meta: z.object({ requestId: z.string(), channelId: z.string() }),
  })
  .transform((f) => ({
    reason: f[REJECT_FIELDS.reason.block],
    requestId: f.meta.requestId,
    channelId: f.meta.channelId,
  }));

/** The reason for a rejection, from the modal the Reject button opened. */
export function register(app: App, deps: CommandDeps): void {
  onSubmission(app, deps, VIEW_IDS.reject, async ({ ack, body, view, client }) => {
    const form = readView(view, RejectForm);
    let reason: string | null;
    try {
      reason = readDescription(form.reason, 'reason');
    } catch (error) {
      return ack({ response_action: 'errors', errors: { [REJECT_FIELDS.reason.block]: fieldWordsFor(error) } });
    }
    if (!reason)
      return ack({
        response_action: 'errors',
        errors: { [REJECT_FIELDS.reason.block]: 'Say why, so the requester knows what to change.' },
      });
    await ack();
    const result = await deps.requests.reject(form.requestId, body.user.id, reason);
    deps.logger.info(
      { subject: form.requestId, userId: body.user.id, outcome: result.outcome, event: 'request.reject_submit' },
      'rejection',
    );
    // From a Home tab there is no channel: the answer goes to the person's DM with the bot.
    await ephemeralReply(client, form.channelId, body.user.id)(clickReply(result));
  });
}
