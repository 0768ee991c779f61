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
        hint: { type: 'plain_text', text: 'seller (@mention, user id or acct_…), amount, currency, description — one payment per line' },
        element: { type: 'plain_text_input', action_id: CSV_FIELDS.text.action, multiline: true, max_length: 3000 },
      },
    ],
  });
}
