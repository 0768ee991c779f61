import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../logger.js';
import type { SlackMessage } from '../../slack/blocks/common.js';

/** Posting and updating messages; the only code besides Bolt listeners that calls chat.* and conversations.open. */
export interface Messenger {
  post(channel: string, message: SlackMessage): Promise<{ channel: string; ts: string }>;
  update(channel: string, ts: string, message: SlackMessage): Promise<void>;
  dm(userId: string, message: SlackMessage): Promise<{ channel: string; ts: string }>;
  ephemeral(channel: string, userId: string, message: SlackMessage): Promise<void>;
  /** Uploads a file into the person's DM with the bot. */
  dmFile(userId: string, file: { filename: string; content: string; title: string; comment: string }): Promise<void>;
}

/** `retrying` for calls that are safe to repeat; `once` (no retries) for posts, which Slack would show twice. */
export function createMessenger(clients: { retrying: WebClient; once: WebClient }): Messenger {
  const client = clients.retrying;
  const dmChannels = new Map<string, string>();
  const dmChannel = async (userId: string) => {
    let channel = dmChannels.get(userId);
    if (!channel) {
      const opened = await client.conversations.open({ users: userId });
      channel = opened.channel?.id ?? userId;
      dmChannels.set(userId, channel);
    }
    return channel;
  };
  const post: Messenger['post'] = async (channel, message) => {
    const reply = await clients.once.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false });
    return { channel: reply.channel ?? channel, ts: reply.ts ?? '' };
  };
  return {
    post,
    async update(channel, ts, message) {
      await client.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
    },
    dm: async (userId, message) => post(await dmChannel(userId), message),
    async dmFile(userId, file) {
      await clients.once.filesUploadV2({ channel_id: await dmChannel(userId), filename: file.filename, content: file.content, title: file.title, initial_comment: file.comment });
    },
    async ephemeral(channel, userId, message) {
      await clients.once.chat.postEphemeral({ channel, user: userId, text: message.text, blocks: message.blocks });
    },
  };
}

/** A Slack call whose failure must not stop the caller (Redis holds the truth): the failure is logged, not thrown. */
export async function bestEffort(logger: Logger, what: string, send: () => Promise<unknown>, fields: Record<string, unknown> = {}): Promise<void> {
  try {
    await send();
  } catch (error) {
    logger.warn({ ...fields, err: error, event: 'slack.notify_failed', what }, 'could not update Slack');
  }
}
