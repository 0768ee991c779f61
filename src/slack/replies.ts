import type { WebClient } from '@slack/web-api';
import { plain, type SlackMessage } from './blocks/common.js';

export type Reply = (message: SlackMessage | string) => Promise<void>;

/** An ephemeral reply where there is no response_url (modal submissions): in the channel the modal came from, else the DM. */
export function ephemeralReply(client: WebClient, channelId: string | undefined, userId: string): Reply {
  return async (message) => {
    const body = typeof message === 'string' ? plain(message) : message;
    await client.chat.postEphemeral({
      channel: channelId || userId,
      user: userId,
      text: body.text,
      blocks: body.blocks,
    });
  };
}
