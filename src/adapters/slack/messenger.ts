import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from '../../slack/blocks/common.js';

/** Posting and updating messages; the only code besides Bolt listeners that calls chat.* and conversations.open. */
export interface Messenger {
  post(channel: string, message: SlackMessage): Promise<{ channel: string; ts: string }>;
  update(channel: string, ts: string, message: SlackMessage): Promise<void>;
  dm(userId: string, message: SlackMessage): Promise<{ channel: string; ts: string }>;
  ephemeral(channel: string, userId: string, message: SlackMessage): Promise<void>;
}

export function createMessenger(client: WebClient): Messenger {
  const dmChannels = new Map<string, string>();
  const post: Messenger['post'] = async (channel, message) => {
    const reply = await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false });
    return { channel: reply.channel ?? channel, ts: reply.ts ?? '' };
  };
  return {
    post,
    async update(channel, ts, message) {
      await client.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
    },
    async dm(userId, message) {
      let channel = dmChannels.get(userId);
      if (!channel) {
        const opened = await client.conversations.open({ users: userId });
        channel = opened.channel?.id ?? userId;
        dmChannels.set(userId, channel);
      }
      return post(channel, message);
    },
    async ephemeral(channel, userId, message) {
      await client.chat.postEphemeral({ channel, user: userId, text: message.text, blocks: message.blocks });
    },
  };
}
