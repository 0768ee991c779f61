import type { CommandDeps } from '../src/deps.js';
import { recentDays } from '../src/domain/reconcile.js';
import { allowed } from '../src/slack/allowed.js';
import { replyOnAppError } from '../src/slack/app-errors.js';
import {
  DIFFERENCE_COLUMNS,
  DIFFERENCES_SHOWN,
  differenceRow,
  reconcileMessage,
} from '../src/slack/blocks/reconcile.js';
import { sendCsv } from '../src/slack/send-csv.js';
import { parseDateRange } from './args.js';
import type { Subcommand } from './types.js';

const DEFAULT_DAYS = 7;
/** A quarter: longer windows belong in Stripe's own reports. */
const MAX_DAYS = 92;

export function reconcileCommand(deps: CommandDeps): Subcommand {
  const usage = '/payout reconcile [<from>[..<to>]]';
  return {
    name: 'reconcile',
    usage,
    summary: `our records against Stripe's, dates YYYY-MM-DD (UTC), default the last ${DEFAULT_DAYS} days`,
    async run(ctx) {
      if (ctx.args.length > 1)
        return ctx.reply(
          `Give at most one date or range: \`${usage}\`, e.g. \`/payout reconcile 2026-12-01..2026-12-06\`.`,
        );
      if (!(await allowed(deps, ctx, 'staff'))) return;
      const window =
        ctx.args[0] === undefined ? recentDays(deps.clock.now(), DEFAULT_DAYS) : parseDateRange(ctx.args[0]);
      if (!window)
        return ctx.reply(
          `Give the dates as \`YYYY-MM-DD\` or \`YYYY-MM-DD..YYYY-MM-DD\` (UTC, the first not after the second): \`${usage}\`.`,
        );
      if (window.to.getTime() - window.from.getTime() > MAX_DAYS * 86_400_000)
        return ctx.reply(`Reconcile at most ${MAX_DAYS} days at a time; for longer, use Stripe's reports.`);
      await replyOnAppError(
        ctx.reply,
        async () => {
          const result = await deps.reconcile.reconcile({ window, trigger: 'command', by: ctx.userId });
          ctx.log.info(
            {
              event: 'reconcile.done',
              compared: result.compared,
              differences: result.differences.length,
              listCalls: result.listCalls,
            },
            'reconciled',
          );
          await ctx.reply(reconcileMessage(result, 'All of them are in the CSV file I sent you.'));
          if (result.differences.length > DIFFERENCES_SHOWN) {
            await sendCsv(deps, ctx.userId, ctx.reply, {
              name: 'reconcile',
              title: 'The reconcile differences',
              rows: 'differences',
              columns: DIFFERENCE_COLUMNS,
              data: result.differences.map(differenceRow),
            });
          }
        },
        {
          lead: 'I could not finish comparing with Stripe, so there is no result. ',
          refused: (error) => ctx.log.warn({ err: error, event: 'reconcile.failed' }, 'reconcile failed'),
        },
      );
    },
  };
}
