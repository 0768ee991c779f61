import type { CommandDeps } from '../src/deps.js';
import { type Money, MoneyError, parseMoney } from '../src/domain/money.js';
import { parseScheduleTime, type ScheduleTime } from '../src/domain/schedule-time.js';
import { readDescription } from '../src/domain/text.js';
import { allowed } from '../src/slack/allowed.js';
import { replyOnAppError, wordsFor } from '../src/slack/app-errors.js';
import { requestSummary } from '../src/slack/blocks/requests.js';
import { scheduleModal } from '../src/slack/blocks/schedule-modal.js';
import { describeError } from '../src/slack/messages.js';
import type { Reply } from '../src/slack/replies.js';
import { type Subcommand, withoutArguments } from './types.js';

const USAGE = '/payout schedule topup <when> <amount> <currency> [description] | /payout schedule run <when>';
const WHEN_HELP =
  '`<when>` is `daily 18:00 Europe/Paris`, `weekly mon 09:00 America/New_York` or `cron "0 9 * * 1" UTC`.';

export interface ScheduleArgs {
  action: 'topup' | 'run';
  time: ScheduleTime;
  money: Money | null;
  description: string | null;
}

/** `topup <when> <amount> <currency> [description]` or `run <when>` → the parts, or a message for the person. */
export function parseScheduleArgs(action: string | undefined, tokens: string[]): ScheduleArgs | string {
  if (action !== 'topup' && action !== 'run') return `Say what to schedule: \`${USAGE}\`. ${WHEN_HELP}`;
  const parsed = parseScheduleTime(tokens);
  if ('error' in parsed) return `${describeError(parsed.error)} ${WHEN_HELP}`;
  if (action === 'run') {
    return parsed.rest.length > 0
      ? 'A payout run pays the payout plan; it takes no amount: `/payout schedule run <when>`.'
      : { action, time: parsed.time, money: null, description: null };
  }
  const [amount, currency, ...words] = parsed.rest;
  if (!amount || !currency) return `Give the amount of each top-up: \`${USAGE}\`.`;
  try {
    return {
      action,
      time: parsed.time,
      money: parseMoney(amount, currency),
      description: readDescription(words.join(' ')),
    };
  } catch (error) {
    const words = wordsFor(error);
    return error instanceof MoneyError ? `${words} Usage: \`${USAGE}\`.` : words;
  }
}

/** Creating a schedule is itself a request; the command and the schedule modal both end here. */
export async function askForSchedule(
  deps: Pick<CommandDeps, 'requests' | 'schedules'>,
  ctx: { userId: string; teamId: string; reply: Reply },
  args: ScheduleArgs,
) {
  await replyOnAppError(ctx.reply, async () => {
    const request = await deps.requests.create({
      kind: 'schedule',
      teamId: ctx.teamId,
      requestedBy: ctx.userId,
      description: args.description,
      schedule: { scheduleId: deps.schedules.newScheduleId(), action: args.action, time: args.time, money: args.money },
    });
    await ctx.reply(`:inbox_tray: Asked for approval: ${requestSummary(request)} (\`${request.id}\`).`);
  });
}

/** Creating a schedule is itself a request, approved with the same policy as a one-off request for the same amount. */
export function scheduleCommand(deps: CommandDeps): Subcommand {
  return {
    name: 'schedule',
    usage: USAGE,
    summary: 'ask for a recurring top-up or payout run (after approval)',
    opensModal: withoutArguments,
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
