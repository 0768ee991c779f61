import type { types } from '@slack/bolt';
import { clip, LIMITS } from './limits.js';

export type KnownBlock = types.KnownBlock;

/** A Slack message: `text` is the notification and screen-reader fallback, `blocks` what people see. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

// The builders clip what they are given, so no data (a long description, a long Stripe reason) can make invalid Block Kit.
export const section = (text: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: clip(text, LIMITS.sectionText) },
});
export const fields = (texts: string[]): KnownBlock => ({
  type: 'section',
  fields: texts.slice(0, LIMITS.sectionFields).map((text) => ({ type: 'mrkdwn', text: clip(text, LIMITS.fieldText) })),
});
export const context = (...texts: string[]): KnownBlock => ({
  type: 'context',
  elements: texts
    .slice(0, LIMITS.contextElements)
    .map((text) => ({ type: 'mrkdwn', text: clip(text, LIMITS.sectionText) })),
});
export const header = (text: string): KnownBlock => ({
  type: 'header',
  text: { type: 'plain_text', text: clip(text, LIMITS.headerText), emoji: true },
});
export const divider: KnownBlock = { type: 'divider' };

/** A button whose `value` is an opaque id (never free text). */
export const button = (actionId: string, text: string, value: string, style?: 'primary' | 'danger'): types.Button => ({
  type: 'button',
  action_id: actionId,
  text: { type: 'plain_text', text: clip(text, LIMITS.buttonText) },
  value,
  ...(style ? { style } : {}),
});

/** A button that asks first: what it does, in plain text, with the verb on the confirming button. */
export const confirmed = (target: types.Button, title: string, text: string, verb: string): types.Button => ({
  ...target,
  confirm: {
    title: { type: 'plain_text', text: clip(title, 100) },
    text: { type: 'plain_text', text: clip(text, 300) },
    confirm: { type: 'plain_text', text: verb },
    deny: { type: 'plain_text', text: 'Cancel' },
  },
});

/** A plain message: one section; the notification text is clipped like the section. */
export const plain = (text: string): SlackMessage => ({
  text: clip(text, LIMITS.sectionText),
  blocks: [section(text)],
});

/** A modal with Cancel; `meta` travels in private_metadata to the submission handler. */
export function modal(options: {
  callbackId: string;
  meta: object;
  title: string;
  submit: string;
  blocks: (KnownBlock | types.InputBlock)[];
}): types.ModalView {
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

/** A modal that only tells something, with Close: the answer to a submission that makes nothing. */
export const noticeModal = (title: string, text: string): types.ModalView => ({
  type: 'modal',
  title: { type: 'plain_text', text: title },
  close: { type: 'plain_text', text: 'Close' },
  blocks: [section(text)],
});

/** A plain-text input field of a modal. */
export const textInput = (
  field: { block: string; action: string },
  label: string,
  options: {
    optional?: boolean;
    hint?: string;
    placeholder?: string;
    maxLength?: number;
    multiline?: boolean;
    initial?: string;
  } = {},
): types.InputBlock => ({
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
    ...(options.initial ? { initial_value: options.initial } : {}),
  },
});
