import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../logger.js';
import type { SlackMessage } from '../../slack/blocks/common.js';

/** Posting and updating messages; the only code besides Bolt listeners that calls chat.* and conversations.open. */
export interface Messenger {
  /** `threadTs`: a reply in that message's thread. */
  post(channel: string, message: SlackMessage, threadTs?: string): Promise<{ channel: string; ts: string }>;
  update(channel: string, ts: string, message: SlackMessage): Promise<void>;
  dm(userId: string, message: SlackMessage): Promise<{ channel: string; ts: string }>;
  ephemeral(channel: string, userId: string, message: SlackMessage): Promise<void>;
  /** A link to a message (chat.getPermalink). */
  permalink(channel: string, ts: string): Promise<string | undefined>;
  /** Uploads a file into the person's DM with the bot; `content` may be produced a chunk at a time, of any size. */
  dmFile(
    userId: string,
    file: { filename: string; content: string | AsyncIterable<string>; title: string; comment: string },
  ): Promise<void>;
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
  const post: Messenger['post'] = async (channel, message, threadTs) => {
    const reply = await clients.once.chat.postMessage({
      channel,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    return { channel: reply.channel ?? channel, ts: reply.ts ?? '' };
  };
  return {
    post,
    async update(channel, ts, message) {
      await client.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
    },
    dm: async (userId, message) => post(await dmChannel(userId), message),
    async dmFile(userId, file) {
      // Slack's upload flow by hand (filesUploadV2 reads the whole file into memory): spool to disk, then stream it up.
      const dir = await mkdtemp(join(tmpdir(), 'payout-ops-'));
      try {
        const path = join(dir, 'upload');
        await pipeline(
          Readable.from(typeof file.content === 'string' ? [file.content] : file.content),
          createWriteStream(path),
        );
        const { size } = await stat(path);
        const target = await client.files.getUploadURLExternal({ filename: file.filename, length: size });
        if (!target.upload_url || !target.file_id) throw new Error('Slack gave no upload URL');
        const sent = await fetch(target.upload_url, {
          method: 'POST',
          body: Readable.toWeb(createReadStream(path)) as ReadableStream,
          duplex: 'half',
          headers: { 'content-length': String(size) },
        } as RequestInit);
        if (!sent.ok) throw new Error(`the file upload failed with HTTP ${sent.status}`);
        await clients.once.files.completeUploadExternal({
          files: [{ id: target.file_id, title: file.title }],
          channel_id: await dmChannel(userId),
          initial_comment: file.comment,
        });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    async ephemeral(channel, userId, message) {
      await clients.once.chat.postEphemeral({ channel, user: userId, text: message.text, blocks: message.blocks });
    },
    async permalink(channel, ts) {
      return (await client.chat.getPermalink({ channel, message_ts: ts })).permalink;
    },
  };
}

/** A Slack call whose failure must not stop the caller (Redis holds the truth): the failure is logged, not thrown. */
export async function bestEffort(
  logger: Logger,
  what: string,
  send: () => Promise<unknown>,
  fields: Record<string, unknown> = {},
): Promise<void> {
  try {
    await send();
  } catch (error) {
    logger.warn({ ...fields, err: error, event: 'slack.notify_failed', what }, 'could not update Slack');
  }
}
