import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { AppDeps } from '../src/deps.js';
import { AppError, isAppError } from '../src/domain/errors.js';
import { MoneyError, parseMoney } from '../src/domain/money.js';
import { parseScheduleTime } from '../src/domain/schedule-time.js';
import { scheduleList, scheduleWhat } from '../src/slack/blocks/payouts.js';
import { requestSummary } from '../src/slack/blocks/requests.js';
import { ACTION_IDS } from '../src/slack/ids.js';
import { allowed } from './guards.js';
import { ephemeralReply } from './reply.js';
import type { Subcommand, SubcommandContext } from './types.js';

const USAGE = '/payout schedule topup <when> <amount> <currency> [description] | /payout schedule run <when>';
const WHEN_HELP = '`<when>` is `daily 18:00 Europe/Paris`, `weekly mon 09:00 America/New_York` or `cron "0 9 * * 1" UTC`.';

/** Creating a schedule is itself a request, approved with the same policy as a one-off request for the same amount. */
export function scheduleCommand(deps: AppDeps): Subcommand {
  return {
    name: 'schedule',
    usage: USAGE,
    summary: 'ask for a recurring top-up or payout run (after approval)',
    async run(ctx) {
      const [action, ...rest] = ctx.args;
      if (action !== 'topup' && action !== 'run') return ctx.reply(`Say what to schedule: \`${USAGE}\`. ${WHEN_HELP}`);
      if (!(await allowed(deps, ctx, 'requester'))) return;
      const parsed = parseScheduleTime(rest);
      if ('error' in parsed) return ctx.reply(`${parsed.error} ${WHEN_HELP}`);
      const { time } = parsed;
      try {
        let money = null;
        let description = null;
        if (action === 'topup') {
          const [amount, currency, ...words] = parsed.rest;
          if (!amount || !currency) return ctx.reply(`Give the amount of each top-up: \`${USAGE}\`.`);
          money = parseMoney(amount, currency);
          description = words.join(' ') || null;
        } else if (parsed.rest.length > 0) {
          return ctx.reply(`A payout run pays the payout plan; it takes no amount: \`/payout schedule run <when>\`.`);
        }
        const request = await deps.requests.create({
          kind: 'schedule',
          teamId: ctx.teamId,
          requestedBy: ctx.userId,
          description,
          schedule: { scheduleId: deps.schedules.newScheduleId(), action, time, money },
        });
        await ctx.reply(`:inbox_tray: Asked for approval: ${requestSummary(request)} (\`${request.id}\`).`);
      } catch (error) {
        if (error instanceof MoneyError) return ctx.reply(`${error.message} Usage: \`${USAGE}\`.`);
        if (!isAppError(error)) throw error;
        await ctx.reply(`:x: ${error.userMessage}`);
      }
    },
  };
}

async function viewerTimeZone(ctx: Pick<SubcommandContext, 'client' | 'userId'>): Promise<string | undefined> {
  try {
    return (await ctx.client.users.info({ user: ctx.userId })).user?.tz;
  } catch {
    return undefined;
  }
}

export function schedulesCommand(deps: AppDeps): Subcommand {
  return {
    name: 'schedules',
    usage: '/payout schedules',
    summary: 'list schedules with their next run, and pause, resume or delete them',
    async run(ctx) {
      if (!(await allowed(deps, ctx, 'staff'))) return;
      const [items, tz] = await Promise.all([deps.schedules.list(ctx.teamId), viewerTimeZone(ctx)]);
      await ctx.reply(scheduleList(items, tz));
    },
  };
}

/** Pause and Delete act at once (they only stop money); Resume asks for approval, since it turns money back on. */
export function registerScheduleButtons(app: App, deps: AppDeps): void {
  const handle = (actionId: string, run: (scheduleId: string, userId: string, teamId: string) => Promise<string>) =>
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client }) => {
      await ack();
      const reply = ephemeralReply(client, body.channel?.id, body.user.id);
      try {
        await reply(await run(action.value ?? '', body.user.id, body.team?.id ?? ''));
      } catch (error) {
        if (!isAppError(error)) throw error;
        await reply(`:x: ${error.userMessage}`);
      }
    });

  const requireStaff = async (userId: string) => {
    if (!(await deps.access.isStaff(userId))) throw new AppError('not_staff', 'Only payout requesters and approvers can change schedules.');
  };
  handle(ACTION_IDS.schedulePause, async (scheduleId, userId) => {
    await requireStaff(userId);
    const schedule = await deps.schedules.pause(scheduleId, userId);
    return `:double_vertical_bar: Paused the ${scheduleWhat(schedule)}. Resuming it needs an approval.`;
  });
  handle(ACTION_IDS.scheduleDelete, async (scheduleId, userId) => {
    await requireStaff(userId);
    const schedule = await deps.schedules.remove(scheduleId, userId);
    return `:wastebasket: Deleted the ${scheduleWhat(schedule)}.`;
  });
  handle(ACTION_IDS.scheduleResume, async (scheduleId, userId, teamId) => {
    const schedule = await deps.schedules.get(scheduleId);
    if (!schedule || schedule.status !== 'paused') throw new AppError('schedule_state', 'That schedule is not paused.');
    const request = await deps.requests.create({
      kind: 'resume',
      teamId,
      requestedBy: userId,
      description: schedule.description,
      schedule: { scheduleId, action: schedule.action, time: schedule.time, money: schedule.money },
    });
    return `:inbox_tray: Asked for approval to resume: ${requestSummary(request)} (\`${request.id}\`).`;
  });
}
