import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { AppDeps } from '../src/deps.js';
import { AppError, isAppError } from '../src/domain/errors.js';
import { MoneyError, parseMoney, type Money } from '../src/domain/money.js';
import { parseScheduleTime, type ScheduleTime } from '../src/domain/schedule-time.js';
import { MAX_DESCRIPTION_LENGTH, readDescription } from '../src/domain/text.js';
import { modal, textInput } from '../src/slack/blocks/common.js';
import { scheduleList, scheduleWhat } from '../src/slack/blocks/payouts.js';
import { requestSummary } from '../src/slack/blocks/requests.js';
import { ACTION_IDS, MONEY_FIELDS, SCHEDULE_FIELDS, VIEW_IDS } from '../src/slack/ids.js';
import { tokenize } from './args.js';
import { allowed } from './guards.js';
import { ephemeralReply, modalChannel } from './reply.js';
import { onSubmission } from './submissions.js';
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
      if (!(await allowed(deps, ctx, 'requester'))) return;
      if (ctx.args.length === 0) {
        await ctx.client.views.open({ trigger_id: ctx.triggerId, view: scheduleModal(ctx.channelId) });
        return;
      }
      const [action, ...rest] = ctx.args;
      const draft = parseScheduleArgs(action, rest);
      if (typeof draft === 'string') return ctx.reply(draft);
      await askForSchedule(deps, ctx, draft);
    },
  };
}

interface ScheduleArgs {
  action: 'topup' | 'run';
  time: ScheduleTime;
  money: Money | null;
  description: string | null;
}

/** `topup <when> <amount> <currency> [description]` or `run <when>` → the parts, or a message for the person. */
export function parseScheduleArgs(action: string | undefined, tokens: string[]): ScheduleArgs | string {
  if (action !== 'topup' && action !== 'run') return `Say what to schedule: \`${USAGE}\`. ${WHEN_HELP}`;
  const parsed = parseScheduleTime(tokens);
  if ('error' in parsed) return `${parsed.error} ${WHEN_HELP}`;
  if (action === 'run') {
    return parsed.rest.length > 0 ? 'A payout run pays the payout plan; it takes no amount: `/payout schedule run <when>`.' : { action, time: parsed.time, money: null, description: null };
  }
  const [amount, currency, ...words] = parsed.rest;
  if (!amount || !currency) return `Give the amount of each top-up: \`${USAGE}\`.`;
  try {
    return { action, time: parsed.time, money: parseMoney(amount, currency), description: readDescription(words.join(' ')) };
  } catch (error) {
    if (error instanceof MoneyError) return `${error.userMessage} Usage: \`${USAGE}\`.`;
    if (isAppError(error)) return error.userMessage;
    throw error;
  }
}

async function askForSchedule(deps: AppDeps, ctx: Pick<SubcommandContext, 'userId' | 'teamId' | 'reply'>, args: ScheduleArgs) {
  try {
    const request = await deps.requests.create({
      kind: 'schedule',
      teamId: ctx.teamId,
      requestedBy: ctx.userId,
      description: args.description,
      schedule: { scheduleId: deps.schedules.newScheduleId(), action: args.action, time: args.time, money: args.money },
    });
    await ctx.reply(`:inbox_tray: Asked for approval: ${requestSummary(request)} (\`${request.id}\`).`);
  } catch (error) {
    if (!isAppError(error)) throw error;
    await ctx.reply(`:x: ${error.userMessage}`);
  }
}

function scheduleModal(channelId: string) {
  const option = (value: string, text: string) => ({ value, text: { type: 'plain_text' as const, text } });
  return modal({
    callbackId: VIEW_IDS.schedule,
    meta: { channelId },
    title: 'New schedule',
    submit: 'Ask for approval',
    blocks: [
      {
        type: 'input',
        block_id: SCHEDULE_FIELDS.action.block,
        label: { type: 'plain_text', text: 'What' },
        element: { type: 'static_select', action_id: SCHEDULE_FIELDS.action.action, options: [option('topup', 'Top up the balance'), option('run', 'Pay the payout plan')], initial_option: option('run', 'Pay the payout plan') },
      },
      textInput(SCHEDULE_FIELDS.when, 'When', { hint: 'weekly mon 09:00 America/New_York · daily 18:00 Europe/Paris · cron "0 9 * * 1" UTC', placeholder: 'weekly fri 10:00 Europe/Paris' }),
      textInput(MONEY_FIELDS.amount, 'Top-up amount and currency', { optional: true, hint: 'Top-ups only, e.g. 2000.00 usd' }),
      textInput(MONEY_FIELDS.description, 'Description', { optional: true, maxLength: MAX_DESCRIPTION_LENGTH }),
    ],
  });
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
    usage: '/payout schedules [page]',
    summary: 'list schedules with their next run, and pause, resume or delete them',
    async run(ctx) {
      const [pageArg = '1'] = ctx.args;
      const page = Number(pageArg);
      if (ctx.args.length > 1 || !/^\d{1,6}$/.test(pageArg) || page < 1) return ctx.reply('Give a page number: `/payout schedules 2`.');
      if (!(await allowed(deps, ctx, 'staff'))) return;
      const [items, tz] = await Promise.all([deps.schedules.list(ctx.teamId), viewerTimeZone(ctx)]);
      await ctx.reply(scheduleList(items, tz, page));
    },
  };
}

interface ScheduleModalState {
  value?: string | null;
  selected_option?: { value: string } | null;
}

export function registerScheduleModal(app: App, deps: AppDeps): void {
  onSubmission(app, deps, VIEW_IDS.schedule, async ({ ack, body, view, client }) => {
    const values = view.state.values as Record<string, Record<string, ScheduleModalState>>;
    const field = (f: { block: string; action: string }) => values[f.block]?.[f.action];
    const action = field(SCHEDULE_FIELDS.action)?.selected_option?.value;
    const when = tokenize(field(SCHEDULE_FIELDS.when)?.value ?? '');
    const amount = tokenize(field(MONEY_FIELDS.amount)?.value ?? '');
    let description: string | null;
    try {
      description = readDescription(field(MONEY_FIELDS.description)?.value);
    } catch (error) {
      if (!isAppError(error)) throw error;
      return ack({ response_action: 'errors', errors: { [MONEY_FIELDS.description.block]: error.userMessage } });
    }
    const draft = parseScheduleArgs(action, [...when, ...amount]);
    if (typeof draft === 'string') {
      const block = /amount|decimal|currency|ISO|positive|zero/i.test(draft) ? MONEY_FIELDS.amount.block : SCHEDULE_FIELDS.when.block;
      return ack({ response_action: 'errors', errors: { [block]: draft.slice(0, 300) } });
    }
    await ack();
    const reply = ephemeralReply(client, modalChannel(view.private_metadata), body.user.id);
    await askForSchedule(deps, { userId: body.user.id, teamId: body.team?.id ?? body.user.team_id ?? '', reply }, { ...draft, description });
  });
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
