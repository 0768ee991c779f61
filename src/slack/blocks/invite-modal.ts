import type { types } from '@slack/bolt';
import { INVITE_FIELDS, VIEW_IDS } from '../ids.js';
import { modal, textInput } from './common.js';

export function inviteModal(meta: { channelId: string }): types.ModalView {
  return modal({
    callbackId: VIEW_IDS.invite,
    meta,
    title: 'Invite a seller',
    submit: 'Invite',
    blocks: [
      {
        type: 'input',
        block_id: INVITE_FIELDS.user.block,
        label: { type: 'plain_text', text: 'Seller' },
        element: {
          type: 'users_select',
          action_id: INVITE_FIELDS.user.action,
          placeholder: { type: 'plain_text', text: 'Who should be paid?' },
        },
      },
      {
        type: 'input',
        block_id: INVITE_FIELDS.email.block,
        optional: true,
        label: { type: 'plain_text', text: 'Email' },
        hint: { type: 'plain_text', text: 'Prefills Stripe’s form; the seller can change it.' },
        element: { type: 'email_text_input', action_id: INVITE_FIELDS.email.action },
      },
      textInput(INVITE_FIELDS.country, 'Country (two letters)', {
        optional: true,
        maxLength: 2,
        placeholder: 'US',
        hint: 'Where the seller’s business is; defaults to the platform’s country.',
      }),
    ],
  });
}
