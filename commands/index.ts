import { newTraceId } from '../src/logger.js';
import type { App } from '@slack/bolt';
import type { AppDeps } from '../src/deps.js';
import { plain } from '../src/slack/blocks/common.js';
import { ACTION_IDS } from '../src/slack/ids.js';
import { escapeMrkdwn } from '../src/slack/mrkdwn.js';
import { tokenize } from './args.js';
import { freezeCommands } from './freeze.js';
import { helpCommand } from './help.js';
import { pendingCommand, registerHome } from './home.js';
import { inviteCommand, registerInviteModal } from './invite.js';
import { sellersCommand, statusCommand } from './sellers.js';
import { auditCommand } from './audit.js';
import { balanceCommand } from './balance.js';
import { forecastCommand } from './forecast.js';
import { fundingCommand, registerFundingListeners } from './funding.js';
import { registerDecisionListeners } from './decisions.js';
import { moneyRequestCommand, registerMoneyRequestModals } from './money-requests.js';
import { originGuard } from './origin-guard.js';
import { planCommand } from './plan.js';
import { reconcileCommand } from './reconcile.js';
import { registerRunListeners, runCommand } from './run.js';
import { registerScheduleButtons, registerScheduleModal, scheduleCommand, schedulesCommand } from './schedules.js';
import type { Subcommand, SubcommandContext } from './types.js';

export const SLASH_COMMAND = '/payout';

/** Every subcommand, in the order help lists them. */
export function buildSubcommands(deps: AppDeps): Subcommand[] {
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
    ...freezeCommands(deps),
    pendingCommand(deps),
  ];
  subcommands.unshift(helpCommand(() => subcommands));
  return subcommands;
}

export function registerListeners(app: App, deps: AppDeps): void {
  const subcommands = new Map(buildSubcommands(deps).map((c) => [c.name, c]));
  // Before every listener, so no button or modal can skip it.
  app.use(originGuard(deps));

  app.command(SLASH_COMMAND, async ({ ack, command, respond, client }) => {
    await ack();
    const [name = 'help', ...args] = tokenize(command.text);
    const traceId = newTraceId();
    const log = deps.logger.child({ traceId, userId: command.user_id, command: name });
    const reply: SubcommandContext['reply'] = async (message) => {
      const body = typeof message === 'string' ? plain(message) : message;
      await respond({ response_type: 'ephemeral', replace_original: false, ...body });
    };
    const subcommand = subcommands.get(name.toLowerCase());
    if (!subcommand) {
      await reply(`I don't know \`${SLASH_COMMAND} ${escapeMrkdwn(name)}\`. Try \`${SLASH_COMMAND} help\` for the list of commands.`);
      return;
    }
    // Slack may deliver the same command twice; one trigger_id is one request.
    if (!(await deps.once.claim('slack-trigger', command.trigger_id, 3_600))) {
      log.warn({ event: 'command.duplicate_delivery', triggerId: command.trigger_id }, 'ignored a repeated delivery');
      return;
    }
    log.info({ event: 'command.received' }, 'slash command');
    try {
      await subcommand.run({ args, userId: command.user_id, teamId: command.team_id, channelId: command.channel_id, triggerId: command.trigger_id, traceId, reply, client, log });
    } catch (error) {
      log.error({ err: error, event: 'command.failed' }, 'command failed');
      await reply(':x: Something went wrong on our side and nothing was changed. Please try again in a minute.');
    }
  });

  // Slack sends block_actions for URL buttons too; without an ack the seller sees a warning.
  app.action(ACTION_IDS.onboardingStart, async ({ ack }) => {
    await ack();
  });

  registerInviteModal(app, deps);
  registerMoneyRequestModals(app, deps);
  registerDecisionListeners(app, deps);
  registerHome(app, deps);
  registerScheduleButtons(app, deps);
  registerScheduleModal(app, deps);
  registerRunListeners(app, deps);
  registerFundingListeners(app, deps);
}
