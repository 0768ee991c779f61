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
  /** Whether these arguments open a modal: its trigger_id lasts about 3 s, so the work runs at once instead of waiting in line after the ack. */
  opensModal?(args: string[]): boolean;
  run(ctx: SubcommandContext): Promise<void>;
}

/** `opensModal` of the subcommands that ask in a modal when given no arguments. */
export const withoutArguments = (args: string[]): boolean => args.length === 0;
