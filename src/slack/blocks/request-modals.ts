import type { types } from '@slack/bolt';
import type { RequestKind } from '../../domain/requests.types.js';
import { MAX_DESCRIPTION_LENGTH } from '../../domain/text.js';
import { MONEY_FIELDS, REJECT_FIELDS, VIEW_IDS } from '../ids.js';
import { modal, textInput } from './common.js';

type InputBlock = types.InputBlock;

/** The transfer and top-up modals: the same amount, currency and description fields, plus the seller or the statement descriptor. */
export function moneyRequestModal(kind: RequestKind, meta: { channelId: string }, prefill: { amount?: string; currency?: string; description?: string } = {}): types.ModalView {
  const first: InputBlock[] =
    kind === 'transfer'
      ? [
          {
            type: 'input',
            block_id: MONEY_FIELDS.seller.block,
            label: { type: 'plain_text', text: 'Seller' },
            element: { type: 'external_select', action_id: MONEY_FIELDS.seller.action, min_query_length: 0, placeholder: { type: 'plain_text', text: 'Type to find a payable seller' } },
          },
        ]
      : [];
  const last: InputBlock[] =
    kind === 'topup'
      ? [textInput(MONEY_FIELDS.statementDescriptor, 'Statement descriptor', { optional: true, maxLength: 15, hint: 'What your bank statement shows, at most 15 characters.', placeholder: 'Weekly top-up' })]
      : [];
  return modal({
    callbackId: kind === 'transfer' ? VIEW_IDS.transfer : VIEW_IDS.topup,
    meta: { channelId: meta.channelId },
    title: kind === 'transfer' ? 'Pay a seller' : 'Top up the balance',
    submit: 'Ask for approval',
    blocks: [
      ...first,
      textInput(MONEY_FIELDS.amount, 'Amount', { placeholder: '120.00', hint: 'In major units, e.g. 120.00 or 1500', initial: prefill.amount }),
      textInput(MONEY_FIELDS.currency, 'Currency', { placeholder: 'usd', maxLength: 3, hint: 'ISO code, e.g. usd, eur, gbp', initial: prefill.currency }),
      textInput(MONEY_FIELDS.description, 'Description', { optional: true, maxLength: MAX_DESCRIPTION_LENGTH, placeholder: 'Weekly earnings', initial: prefill.description }),
      ...last,
    ],
  });
}

export function rejectModal(meta: { requestId: string; channelId: string; messageTs: string }): types.ModalView {
  return modal({
    callbackId: VIEW_IDS.reject,
    meta,
    title: 'Reject request',
    submit: 'Reject',
    blocks: [textInput(REJECT_FIELDS.reason, 'Why?', { multiline: true, maxLength: MAX_DESCRIPTION_LENGTH, placeholder: 'The requester sees this.' })],
  });
}
