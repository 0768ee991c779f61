import type { types } from '@slack/bolt';
import { MAX_DESCRIPTION_LENGTH } from '../../domain/text.js';
import { MONEY_FIELDS, SCHEDULE_FIELDS, VIEW_IDS } from '../ids.js';
import { modal, textInput } from './common.js';

/** `/payout schedule` without arguments: what, when, and a top-up's amount. */
export function scheduleModal(channelId: string): types.ModalView {
  const option = (value: string, text: string) => ({ value, text: { type: 'plain_text' as const, text } });
  return modal({
    callbackId: VIEW_IDS.schedule,
    meta: { channelId },
    title: 'New schedule',
    submit: 'Ask for approval',
    blocks: [
      {
        type: 'input',
        block_id: SCHEDULE_FIELDS.action.block,
        label: { type: 'plain_text', text: 'What' },
        element: { type: 'static_select', action_id: SCHEDULE_FIELDS.action.action, options: [option('topup', 'Top up the balance'), option('run', 'Pay the payout plan')], initial_option: option('run', 'Pay the payout plan') },
      },
      textInput(SCHEDULE_FIELDS.when, 'When', { hint: 'weekly mon 09:00 America/New_York · daily 18:00 Europe/Paris · cron "0 9 * * 1" UTC', placeholder: 'weekly fri 10:00 Europe/Paris' }),
      textInput(MONEY_FIELDS.amount, 'Top-up amount and currency', { optional: true, hint: 'Top-ups only, e.g. 2000.00 usd' }),
      textInput(MONEY_FIELDS.description, 'Description', { optional: true, maxLength: MAX_DESCRIPTION_LENGTH }),
    ],
  });
}
