import type { types } from '@slack/bolt';

export type KnownBlock = types.KnownBlock;

/** A Slack message: `text` is the notification and screen-reader fallback, `blocks` what people see. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
export const context = (...texts: string[]): KnownBlock => ({ type: 'context', elements: texts.map((text) => ({ type: 'mrkdwn', text })) });
export const header = (text: string): KnownBlock => ({ type: 'header', text: { type: 'plain_text', text, emoji: true } });
export const divider: KnownBlock = { type: 'divider' };

/** A plain message: one section. */
export const plain = (text: string): SlackMessage => ({ text, blocks: [section(text)] });

/** A modal with Cancel; `meta` travels in private_metadata to the submission handler. */
export function modal(options: { callbackId: string; meta: object; title: string; submit: string; blocks: (KnownBlock | types.InputBlock)[] }): types.ModalView {
  return {
    type: 'modal',
    callback_id: options.callbackId,
    private_metadata: JSON.stringify(options.meta),
    title: { type: 'plain_text', text: options.title },
    submit: { type: 'plain_text', text: options.submit },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: options.blocks,
  };
}

/** A plain-text input field of a modal. */
export const textInput = (field: { block: string; action: string }, label: string, options: { optional?: boolean; hint?: string; placeholder?: string; maxLength?: number; multiline?: boolean } = {}): types.InputBlock => ({
  type: 'input',
  block_id: field.block,
  optional: options.optional ?? false,
  label: { type: 'plain_text', text: label },
  ...(options.hint ? { hint: { type: 'plain_text', text: options.hint } } : {}),
  element: {
    type: 'plain_text_input',
    action_id: field.action,
    ...(options.placeholder ? { placeholder: { type: 'plain_text', text: options.placeholder } } : {}),
    ...(options.maxLength ? { max_length: options.maxLength } : {}),
    ...(options.multiline ? { multiline: true } : {}),
  },
});
