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
