import type { App, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { CommandDeps } from '../src/deps.js';
import { newTraceId } from '../src/logger.js';
import { plain } from '../src/slack/blocks/common.js';
import { escapeMrkdwn } from '../src/slack/mrkdwn.js';
import { type AfterAck, createAfterAck } from './after-ack.js';
import { tokenize } from './args.js';
import { auditCommand } from './audit.js';
import { balanceCommand } from './balance.js';
import { forecastCommand } from './forecast.js';
import { freezeCommand } from './freeze.js';
import { fundingCommand } from './funding.js';
import { helpCommand } from './help.js';
import { inviteCommand } from './invite.js';
import { moneyRequestCommand } from './money-request.js';
import { pendingCommand } from './pending.js';
import { planCommand } from './plan.js';
import { reconcileCommand } from './reconcile.js';
import { runCommand } from './run.js';
import { scheduleCommand } from './schedule.js';
import { schedulesCommand } from './schedules.js';
import { sellersCommand } from './sellers.js';
import { statusCommand } from './status.js';
import type { Subcommand, SubcommandContext } from './types.js';
import { unfreezeCommand } from './unfreeze.js';

export const SLASH_COMMAND = '/payout';

/** Every subcommand, in the order help lists them. */
export function buildSubcommands(deps: CommandDeps): Subcommand[] {
  const subcommands: Subcommand[] = [
    inviteCommand(deps),
    sellersCommand(deps),
    statusCommand(deps),
    moneyRequestCommand(deps, 'topup'),
    moneyRequestCommand(deps, 'transfer'),
    balanceCommand(deps),
    forecastCommand(deps),
    fundingCommand(deps),
    auditCommand(deps),
    planCommand(deps),
    scheduleCommand(deps),
    schedulesCommand(deps),
    runCommand(deps),
    reconcileCommand(deps),
    freezeCommand(deps),
    unfreezeCommand(deps),
    pendingCommand(deps),
  ];
  subcommands.unshift(helpCommand(() => subcommands));
  return subcommands;
}

/** Slash commands whose work after the ack runs at once; more wait in line (see after-ack.ts). */
const COMMANDS_IN_FLIGHT = 16;

/** Runs a command's work after the ack: in line with the others, or at once when it opens a modal (the trigger_id would expire in line). */
export function createCommandLine(
  subcommands: ReadonlyMap<string, Subcommand>,
  afterAck: AfterAck,
): (text: string, work: () => Promise<void>) => Promise<void> {
  return (text, work) => {
    const [name = 'help', ...args] = tokenize(text);
    return subcommands.get(name.toLowerCase())?.opensModal?.(args) ? work() : afterAck(work);
  };
}

/** A slash command once acked: the few values its work needs, not Bolt's request. */
interface ReceivedCommand {
  text: string;
  userId: string;
  teamId: string;
  channelId: string;
  triggerId: string;
  respond: RespondFn;
  client: WebClient;
}

/** `/payout <subcommand> …`: one slash command, dispatched by its first word. */
export function register(app: App, deps: CommandDeps): void {
  const subcommands = new Map(buildSubcommands(deps).map((c) => [c.name, c]));
  const inLine = createCommandLine(subcommands, createAfterAck(COMMANDS_IN_FLIGHT));
  const handleCommand = async ({ text, userId, teamId, channelId, triggerId, respond, client }: ReceivedCommand) => {
    const [name = 'help', ...args] = tokenize(text);
    const traceId = newTraceId();
    const log = deps.logger.child({ traceId, userId, command: name });
    const reply: SubcommandContext['reply'] = async (message) => {
      const body = typeof message === 'string' ? plain(message) : message;
      await respond({ response_type: 'ephemeral', replace_original: false, ...body });
    };
    const subcommand = subcommands.get(name.toLowerCase());
    if (!subcommand) {
      await reply(
        `I don't know \`${SLASH_COMMAND} ${escapeMrkdwn(name)}\`. Try \`${SLASH_COMMAND} help\` for the list of commands.`,
      );
      return;
    }
    // Slack may deliver the same command twice; one trigger_id is one request.
    if (!(await deps.deliveries.firstTime('command', triggerId))) {
      log.warn({ event: 'command.duplicate_delivery', triggerId }, 'ignored a repeated delivery');
      return;
    }
    log.info({ event: 'command.received' }, 'slash command');
    try {
      await subcommand.run({ args, userId, teamId, channelId, triggerId, traceId, reply, client, log });
    } catch (error) {
      log.error({ err: error, event: 'command.failed' }, 'command failed');
      await reply(':x: Something went wrong on our side and nothing was changed. Please try again in a minute.');
    }
  };
  app.command(SLASH_COMMAND, async ({ command, ack, respond, client }) => {
    await ack();
    const received: ReceivedCommand = {
      text: command.text,
      userId: command.user_id,
      teamId: command.team_id,
      channelId: command.channel_id,
      triggerId: command.trigger_id,
      respond,
      client,
    };
    // Not awaited: once this listener returns, Bolt lets go of the HTTP request and response, so a command waiting
    // in line under a burst keeps only `received`.
    void inLine(received.text, () => handleCommand(received)).catch((error: unknown) =>
      deps.logger.error({ err: error, event: 'command.failed', userId: received.userId }, 'command failed'),
    );
  });
}
