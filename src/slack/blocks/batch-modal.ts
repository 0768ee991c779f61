import type { types } from '@slack/bolt';
import { CSV_FIELDS, VIEW_IDS } from '../ids.js';
import { modal } from './common.js';

export interface BatchModalMeta {
  channelId: string;
  /** The currencies the platform held when the modal opened. */
  held: string[] | undefined;
}

/** `/payout run csv`: a CSV file or pasted lines, checked line by line before the run is asked for. */
export function batchModal(meta: BatchModalMeta): types.ModalView {
  return modal({
    callbackId: VIEW_IDS.runCsv,
    meta,
    title: 'Pay a CSV batch',
    submit: 'Check and ask',
    blocks: [
      {
        type: 'input',
        block_id: CSV_FIELDS.file.block,
        optional: true,
        label: { type: 'plain_text', text: 'CSV file' },
        element: { type: 'file_input', action_id: CSV_FIELDS.file.action, filetypes: ['csv', 'txt'], max_files: 1 },
      },
      {
        type: 'input',
        block_id: CSV_FIELDS.text.block,
        optional: true,
        label: { type: 'plain_text', text: 'Or paste the lines' },
        // What payout-batch.ts accepts: a typed "@name" is not a mention in a text field, so it is not offered.
        hint: {
          type: 'plain_text',
          text: 'One payment per line: seller (user id U…, <@U…> or acct_…), amount, currency, optional description (in quotes if it has commas). A header row "seller,amount,currency,description" is fine.',
        },
        element: { type: 'plain_text_input', action_id: CSV_FIELDS.text.action, multiline: true, max_length: 3000 },
      },
    ],
  });
}
