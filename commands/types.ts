import type { WebClient } from '@slack/web-api';
import type { Logger } from '../src/logger.js';
import type { SlackMessage } from '../src/slack/blocks/common.js';

export interface SubcommandContext {
  args: string[];
  userId: string;
  teamId: string;
  channelId: string;
  triggerId: string;
  traceId: string;
  /** An ephemeral reply to the person who typed the command. */
  reply(message: SlackMessage | string): Promise<void>;
  client: WebClient;
  log: Logger;
}

export interface Subcommand {
  name: string;
  usage: string;
  summary: string;
  run(ctx: SubcommandContext): Promise<void>;
}

