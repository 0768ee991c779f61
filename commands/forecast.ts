import type { CommandDeps } from '../src/deps.js';
import { FORECAST_DAYS } from '../src/domain/funding.js';
import { allowed } from '../src/slack/allowed.js';
import { replyOnAppError } from '../src/slack/app-errors.js';
import { forecastMessage } from '../src/slack/blocks/funding.js';
import type { Subcommand } from './types.js';

const USAGE = '/payout forecast [<days>]';

/** `/payout forecast [<days>]`: the funds per currency, day by day. */
export function forecastCommand(deps: CommandDeps): Subcommand {
  return {
    name: 'forecast',
    usage: USAGE,
    summary: `funds per currency, day by day, and the first shortfall (default ${FORECAST_DAYS.default} days, at most ${FORECAST_DAYS.max})`,
    async run(ctx) {
      const [raw, extra] = ctx.args;
      const days = raw === undefined ? FORECAST_DAYS.default : Number(raw);
      if (extra !== undefined || !Number.isInteger(days) || days < 1 || days > FORECAST_DAYS.max) {
        return ctx.reply(`Give the number of days as a whole number from 1 to ${FORECAST_DAYS.max}: \`${USAGE}\`.`);
      }
      if (!(await allowed(deps, ctx, 'staff'))) return;
      await replyOnAppError(ctx.reply, async () => ctx.reply(forecastMessage(await deps.funding.forecast(days))));
    },
  };
}
