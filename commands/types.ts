import type { WebClient } from '@slack/web-api';
import type { Logger } from '../src/logger.js';
import type { Reply } from '../src/slack/replies.js';

export interface SubcommandContext {
  args: string[];
  userId: string;
  teamId: string;
  channelId: string;
  triggerId: string;
  traceId: string;
  /** An ephemeral reply to the person who typed the command. */
  reply: Reply;
  client: WebClient;
  log: Logger;
}

export interface Subcommand {
  name: string;
  usage: string;
  summary: string;
  run(ctx: SubcommandContext): Promise<void>;
}
