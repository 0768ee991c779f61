import type { types } from '@slack/bolt';
import { typedDecimals } from '../../domain/money.js';
import type { RequestKind } from '../../domain/requests.types.js';
import { MAX_DESCRIPTION_LENGTH } from '../../domain/text.js';
import { MONEY_FIELDS, REJECT_FIELDS, VIEW_IDS } from '../ids.js';
import { modal, textInput } from './common.js';

type InputBlock = types.InputBlock;

const currencyOption = (code: string) => ({
  text: { type: 'plain_text' as const, text: code.toUpperCase() },
  value: code,
});

/**
 * The currency: a select of `currencies` (the balances held; for top-ups the platform's own), or, when they could
 * not be read, the typed ISO code. The submission reads either.
 */
function currencyInput(currencies: string[] | undefined, initial: string | undefined): InputBlock {
  if (!currencies?.length)
    return textInput(MONEY_FIELDS.currency, 'Currency', {
      placeholder: 'usd',
      maxLength: 3,
      hint: 'ISO code, e.g. usd, eur, gbp',
      initial,
    });
  const chosen =
    initial && currencies.includes(initial) ? initial : currencies.length === 1 ? currencies[0] : undefined;
  return {
    type: 'input',
    block_id: MONEY_FIELDS.currency.block,
    label: { type: 'plain_text', text: 'Currency' },
    element: {
      type: 'static_select',
      action_id: MONEY_FIELDS.currency.action,
      placeholder: { type: 'plain_text', text: 'Choose a currency' },
      options: currencies.slice(0, 100).map(currencyOption),
      ...(chosen ? { initial_option: currencyOption(chosen) } : {}),
    },
  };
}

/** A number field; decimals only where one of the currencies has them (yen has none), and the hint says how many. */
function amountInput(currencies: string[] | undefined, initial: string | undefined): InputBlock {
  const decimals = currencies?.length
    ? currencies
        .map(
          (c) => `${c.toUpperCase()}: ${typedDecimals(c) === 0 ? 'whole units' : `up to ${typedDecimals(c)} decimals`}`,
        )
        .slice(0, 6)
        .join(', ')
    : 'as the currency has';
  return {
    type: 'input',
    block_id: MONEY_FIELDS.amount.block,
    label: { type: 'plain_text', text: 'Amount' },
    hint: { type: 'plain_text', text: `In major units, e.g. 120.00 or 1500 (${decimals}).`.slice(0, 150) },
    element: {
      type: 'number_input',
      action_id: MONEY_FIELDS.amount.action,
      is_decimal_allowed: !currencies?.length || currencies.some((c) => typedDecimals(c) > 0),
      min_value: '0',
      placeholder: { type: 'plain_text', text: '120.00' },
      ...(initial ? { initial_value: initial } : {}),
    },
  };
}

/** The transfer and top-up modals: the same amount, currency and description fields, plus the seller or the statement descriptor. */
export function moneyRequestModal(
  kind: RequestKind,
  meta: { channelId: string },
  prefill: { amount?: string; currency?: string; description?: string } = {},
  currencies?: string[],
): types.ModalView {
  const first: InputBlock[] =
    kind === 'transfer'
      ? [
          {
            type: 'input',
            block_id: MONEY_FIELDS.seller.block,
            label: { type: 'plain_text', text: 'Seller' },
            element: {
              type: 'external_select',
              action_id: MONEY_FIELDS.seller.action,
              min_query_length: 0,
              placeholder: { type: 'plain_text', text: 'Type to find a payable seller' },
            },
          },
        ]
      : [];
  const last: InputBlock[] =
    kind === 'topup'
      ? [
          textInput(MONEY_FIELDS.statementDescriptor, 'Statement descriptor', {
            optional: true,
            maxLength: 15,
            hint: 'What your bank statement shows, at most 15 characters.',
            placeholder: 'Weekly top-up',
          }),
        ]
      : [];
  return modal({
    callbackId: kind === 'transfer' ? VIEW_IDS.transfer : VIEW_IDS.topup,
    meta: { channelId: meta.channelId },
    title: kind === 'transfer' ? 'Pay a seller' : 'Top up the balance',
    submit: 'Ask for approval',
    blocks: [
      ...first,
      amountInput(currencies, prefill.amount),
      currencyInput(currencies, prefill.currency),
      textInput(MONEY_FIELDS.description, 'Description', {
        optional: true,
        maxLength: MAX_DESCRIPTION_LENGTH,
        placeholder: 'Weekly earnings',
        initial: prefill.description,
      }),
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
    blocks: [
      textInput(REJECT_FIELDS.reason, 'Why?', {
        multiline: true,
        maxLength: MAX_DESCRIPTION_LENGTH,
        placeholder: 'The requester sees this.',
      }),
    ],
  });
}
