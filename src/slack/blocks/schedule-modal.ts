import type { types } from '@slack/bolt';
import { MAX_DESCRIPTION_LENGTH } from '../../domain/text.js';
import { MONEY_FIELDS, SCHEDULE_FIELDS, VIEW_IDS } from '../ids.js';
import { modal, textInput } from './common.js';

const option = (value: string, text: string) => ({ value, text: { type: 'plain_text' as const, text } });

const WEEKDAYS = [
  ['mon', 'Monday'],
  ['tue', 'Tuesday'],
  ['wed', 'Wednesday'],
  ['thu', 'Thursday'],
  ['fri', 'Friday'],
  ['sat', 'Saturday'],
  ['sun', 'Sunday'],
] as const;

/** The zones offered (a select holds 100 at most); the slash command takes any IANA zone. */
const SCHEDULE_ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Dublin',
  'Europe/Lisbon',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Madrid',
  'Europe/Rome',
  'Europe/Amsterdam',
  'Europe/Stockholm',
  'Europe/Warsaw',
  'Europe/Athens',
  'Europe/Helsinki',
  'Europe/Istanbul',
  'Africa/Lagos',
  'Africa/Johannesburg',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Hong_Kong',
  'Asia/Shanghai',
  'Asia/Tokyo',
  'Asia/Seoul',
  'Australia/Perth',
  'Australia/Sydney',
  'Pacific/Auckland',
  'America/Sao_Paulo',
  'America/Mexico_City',
  'America/New_York',
  'America/Toronto',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
] as const;

const select = (
  field: { block: string; action: string },
  label: string,
  options: ReturnType<typeof option>[],
  initial?: ReturnType<typeof option>,
  optional = false,
): types.InputBlock => ({
  type: 'input',
  block_id: field.block,
  optional,
  label: { type: 'plain_text', text: label },
  element: { type: 'static_select', action_id: field.action, options, ...(initial ? { initial_option: initial } : {}) },
});

/**
 * A new schedule: what, and when as a frequency, a weekday (weekly only), a time and a zone, instead of the text
 * grammar the slash command keeps (and cron, which stays a slash-command power tool).
 */
export function scheduleModal(channelId: string): types.ModalView {
  return modal({
    callbackId: VIEW_IDS.schedule,
    meta: { channelId },
    title: 'New schedule',
    submit: 'Ask for approval',
    blocks: [
      select(
        SCHEDULE_FIELDS.action,
        'What',
        [option('topup', 'Top up the balance'), option('run', 'Pay the payout plan')],
        option('run', 'Pay the payout plan'),
      ),
      select(
        SCHEDULE_FIELDS.frequency,
        'How often',
        [option('daily', 'Every day'), option('weekly', 'Every week')],
        option('weekly', 'Every week'),
      ),
      select(
        SCHEDULE_FIELDS.weekday,
        'On (weekly)',
        WEEKDAYS.map(([value, text]) => option(value, text)),
        option('mon', 'Monday'),
        true,
      ),
      {
        type: 'input',
        block_id: SCHEDULE_FIELDS.time.block,
        label: { type: 'plain_text', text: 'At' },
        element: { type: 'timepicker', action_id: SCHEDULE_FIELDS.time.action, initial_time: '09:00' },
      },
      select(
        SCHEDULE_FIELDS.zone,
        'Time zone',
        SCHEDULE_ZONES.map((z) => option(z, z)),
        option('UTC', 'UTC'),
      ),
      textInput(MONEY_FIELDS.amount, 'Top-up amount and currency', {
        optional: true,
        hint: 'Top-ups only, e.g. 2000.00 usd',
      }),
      textInput(MONEY_FIELDS.description, 'Description', { optional: true, maxLength: MAX_DESCRIPTION_LENGTH }),
    ],
  });
}
