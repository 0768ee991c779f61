import type { WebClient } from '@slack/web-api';
import { plain, type SlackMessage } from '../src/slack/blocks/common.js';

/** An ephemeral reply where there is no response_url (modal submissions): in the channel the modal came from, else the DM. */
export function ephemeralReply(client: WebClient, channelId: string | undefined, userId: string) {
  return async (message: SlackMessage | string): Promise<void> => {
    const body = typeof message === 'string' ? plain(message) : message;
    await client.chat.postEphemeral({ channel: channelId ?? userId, user: userId, text: body.text, blocks: body.blocks });
  };
}

/** What a modal carried in private_metadata. */
export const modalChannel = (privateMetadata: string | undefined): string | undefined =>
  (JSON.parse(privateMetadata || '{}') as { channelId?: string }).channelId || undefined;
