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
