import type { App } from '@slack/bolt';
import { z } from 'zod';
import { tokenize } from '../commands/args.js';
import { askForSchedule, parseScheduleArgs } from '../commands/schedule.js';
import type { CommandDeps } from '../src/deps.js';
import { readDescription } from '../src/domain/text.js';
import { wordsFor } from '../src/slack/app-errors.js';
import { MONEY_FIELDS, SCHEDULE_FIELDS, VIEW_IDS } from '../src/slack/ids.js';
import { channelMeta, field, readView } from '../src/slack/read-view.js';
import { ephemeralReply } from '../src/slack/replies.js';
import { onSubmission } from './on-submission.js';

const ScheduleForm = z
  .object({
    [SCHEDULE_FIELDS.action.block]: field.option,
    [SCHEDULE_FIELDS.when.block]: field.rawText,
    [MONEY_FIELDS.amount.block]: field.rawText,
    [MONEY_FIELDS.description.block]: field.rawText,
    meta: channelMeta,
  })
  .transform((f) => ({
    action: f[SCHEDULE_FIELDS.action.block],
    when: tokenize(f[SCHEDULE_FIELDS.when.block]),
    amount: tokenize(f[MONEY_FIELDS.amount.block]),
    description: f[MONEY_FIELDS.description.block],
    channelId: f.meta.channelId,
  }));

/** The schedule modal: the same grammar as `/payout schedule`, with mistakes shown at the field they are about. */
export function register(app: App, deps: CommandDeps): void {
  onSubmission(app, deps, VIEW_IDS.schedule, async ({ ack, body, view, client }) => {
    const form = readView(view, ScheduleForm);
    let description: string | null;
    try {
      description = readDescription(form.description);
    } catch (error) {
      return ack({ response_action: 'errors', errors: { [MONEY_FIELDS.description.block]: wordsFor(error) } });
    }
    const draft = parseScheduleArgs(form.action, [...form.when, ...form.amount]);
    if (typeof draft === 'string') {
      const block = /amount|decimal|currency|ISO|positive|zero/i.test(draft) ? MONEY_FIELDS.amount.block : SCHEDULE_FIELDS.when.block;
      return ack({ response_action: 'errors', errors: { [block]: draft.slice(0, 300) } });
    }
    await ack();
    const reply = ephemeralReply(client, form.channelId, body.user.id);
    await askForSchedule(deps, { userId: body.user.id, teamId: body.team?.id ?? body.user.team_id ?? '', reply }, { ...draft, description });
  });
}
