import type { CommandDeps } from '../src/deps.js';
import { allowed } from '../src/slack/allowed.js';
import { scheduleList } from '../src/slack/blocks/payouts.js';
import type { Subcommand, SubcommandContext } from './types.js';

async function viewerTimeZone(ctx: Pick<SubcommandContext, 'client' | 'userId'>): Promise<string | undefined> {
  try {
    return (await ctx.client.users.info({ user: ctx.userId })).user?.tz;
  } catch {
    return undefined;
  }
}

/** The list's Pause, Resume and Delete buttons are in actions/. */
export function schedulesCommand(deps: CommandDeps): Subcommand {
  return {
    name: 'schedules',
    usage: '/payout schedules [page]',
    summary: 'list schedules with their next run, and pause, resume or delete them',
    async run(ctx) {
      const [pageArg = '1'] = ctx.args;
      const page = Number(pageArg);
      if (ctx.args.length > 1 || !/^\d{1,6}$/.test(pageArg) || page < 1)
        return ctx.reply('Give a page number: `/payout schedules 2`.');
      if (!(await allowed(deps, ctx, 'staff'))) return;
      const [items, tz] = await Promise.all([deps.schedules.list(ctx.teamId), viewerTimeZone(ctx)]);
      await ctx.reply(scheduleList(items, tz, page));
    },
  };
}
