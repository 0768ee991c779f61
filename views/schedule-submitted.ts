import type { App } from '@slack/bolt';
import { z } from 'zod';
import { tokenize } from '../commands/args.js';
import { askForSchedule } from '../commands/schedule.js';
import type { CommandDeps } from '../src/deps.js';
import { type Money, MoneyError, parseMoney } from '../src/domain/money.js';
import { parseScheduleTime, type WhenProblem } from '../src/domain/schedule-time.js';
import { readDescription } from '../src/domain/text.js';
import { fieldWordsFor } from '../src/slack/app-errors.js';
import { MONEY_FIELDS, SCHEDULE_FIELDS, VIEW_IDS } from '../src/slack/ids.js';
import { describeError, plainWords } from '../src/slack/messages.js';
import { channelMeta, field, readView } from '../src/slack/read-view.js';
import { ephemeralReply } from '../src/slack/replies.js';
import { onSubmission } from './on-submission.js';

const ScheduleForm = z
  .object({
    [SCHEDULE_FIELDS.action.block]: field.option,
    // The text grammar: modals opened before the structured fields still send it.
    [SCHEDULE_FIELDS.when.block]: field.rawText,
    [SCHEDULE_FIELDS.frequency.block]: field.option,
    [SCHEDULE_FIELDS.weekday.block]: field.option,
    [SCHEDULE_FIELDS.time.block]: field.time,
    [SCHEDULE_FIELDS.zone.block]: field.option,
    [MONEY_FIELDS.amount.block]: field.rawText,
    [MONEY_FIELDS.description.block]: field.rawText,
    meta: channelMeta,
  })
  .transform((f) => {
    const frequency = f[SCHEDULE_FIELDS.frequency.block] ?? '';
    const typed = tokenize(f[SCHEDULE_FIELDS.when.block]);
    return {
      action: f[SCHEDULE_FIELDS.action.block],
      typedWhen: typed.length > 0,
      when:
        typed.length > 0
          ? typed
          : [
              frequency,
              ...(frequency === 'weekly' ? [f[SCHEDULE_FIELDS.weekday.block] ?? ''] : []),
              f[SCHEDULE_FIELDS.time.block],
              f[SCHEDULE_FIELDS.zone.block] ?? '',
            ],
      amount: tokenize(f[MONEY_FIELDS.amount.block]),
      description: f[MONEY_FIELDS.description.block],
      channelId: f.meta.channelId,
    };
  });

/** Where a schedule-time error belongs: the zone, the time, the weekday or the frequency. */
const WHEN_BLOCKS: Record<WhenProblem['code'], string> = {
  when_kind: SCHEDULE_FIELDS.frequency.block,
  when_weekday: SCHEDULE_FIELDS.weekday.block,
  when_clock: SCHEDULE_FIELDS.time.block,
  when_zone_missing: SCHEDULE_FIELDS.zone.block,
  when_zone_unknown: SCHEDULE_FIELDS.zone.block,
  when_cron_fields: SCHEDULE_FIELDS.frequency.block,
  when_cron_invalid: SCHEDULE_FIELDS.frequency.block,
};

/** The schedule modal: what, when (frequency, weekday, time, zone) and a top-up's amount; every field's mistake at once, in place. */
export function register(app: App, deps: CommandDeps): void {
  onSubmission(app, deps, VIEW_IDS.schedule, async ({ ack, body, view, client }) => {
    const form = readView(view, ScheduleForm);
    const errors: Record<string, string> = {};
    const { action } = form;
    if (action !== 'topup' && action !== 'run') errors[SCHEDULE_FIELDS.action.block] = 'Say what to schedule.';

    const parsed = parseScheduleTime(form.when);
    if ('error' in parsed) {
      // A field's error is plain text: plain words, no code spans.
      const field = form.typedWhen ? SCHEDULE_FIELDS.when.block : WHEN_BLOCKS[parsed.error.code];
      errors[field] = describeError(parsed.error, plainWords).slice(0, 300);
    } else if (parsed.rest.length > 0)
      errors[SCHEDULE_FIELDS.when.block] =
        `"${parsed.rest.join(' ')}" is not part of a time: say only when, e.g. weekly mon 09:00 UTC.`;

    const [amount, currency, ...extra] = form.amount;
    let money: Money | null = null;
    if (action === 'run' && amount)
      errors[MONEY_FIELDS.amount.block] = 'A payout run pays the payout plan; it takes no amount.';
    if (action === 'topup') {
      if (!amount || !currency || extra.length > 0)
        errors[MONEY_FIELDS.amount.block] = 'Give the amount of each top-up and its currency, e.g. 2000.00 usd.';
      else
        try {
          money = parseMoney(amount, currency);
        } catch (error) {
          if (!(error instanceof MoneyError)) throw error;
          errors[MONEY_FIELDS.amount.block] = fieldWordsFor(error);
        }
    }

    let description: string | null = null;
    try {
      description = readDescription(form.description);
    } catch (error) {
      errors[MONEY_FIELDS.description.block] = fieldWordsFor(error);
    }
    if (Object.keys(errors).length > 0 || 'error' in parsed || (action !== 'topup' && action !== 'run'))
      return ack({ response_action: 'errors', errors });
    await ack();
    const reply = ephemeralReply(client, form.channelId, body.user.id);
    await askForSchedule(
      deps,
      { userId: body.user.id, teamId: body.team?.id ?? body.user.team_id ?? '', reply },
      { action, time: parsed.time, money, description },
    );
  });
}
