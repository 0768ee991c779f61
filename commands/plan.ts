import type { CommandDeps } from '../src/deps.js';
import { type Money, MoneyError, majorUnitsText, parseMoney } from '../src/domain/money.js';
import { readDescription } from '../src/domain/text.js';
import { allowed } from '../src/slack/allowed.js';
import { replyOnAppError, wordsFor } from '../src/slack/app-errors.js';
import { PLAN_LINES_PER_PAGE, planList } from '../src/slack/blocks/payouts.js';
import { requestSummary } from '../src/slack/blocks/requests.js';
import { mention, parseUserMention } from '../src/slack/mrkdwn.js';
import { sendCsv } from '../src/slack/send-csv.js';
import { parsePage } from './args.js';
import type { Subcommand } from './types.js';

const USAGE =
  '/payout plan @seller <amount> <currency> [description] | /payout plan @seller none | /payout plan [page] | /payout plan export';

/** The payout plan: what every payout run pays each seller. Each change is approved like a transfer of that amount. */
export function planCommand(deps: CommandDeps): Subcommand {
  return {
    name: 'plan',
    usage: USAGE,
    summary:
      "set or remove a seller's standing amount (after approval), or list the plan with its totals a page at a time (all of it as CSV with `export`)",
    async run(ctx) {
      const page = ctx.args.length === 0 ? 1 : ctx.args.length === 1 ? parsePage(ctx.args[0] ?? '') : undefined;
      if (page !== undefined) {
        if (!(await allowed(deps, ctx, 'staff'))) return;
        return ctx.reply(
          planList(await deps.payoutPlan.page(ctx.teamId, (page - 1) * PLAN_LINES_PER_PAGE, PLAN_LINES_PER_PAGE), page),
        );
      }
      if (ctx.args.length === 1 && ctx.args[0]?.toLowerCase() === 'export') {
        if (!(await allowed(deps, ctx, 'staff'))) return;
        const entries = await deps.payoutPlan.list(ctx.teamId);
        return sendCsv(deps, ctx.userId, ctx.reply, {
          name: 'plan',
          title: 'The payout plan',
          rows: 'sellers',
          // The columns of a CSV batch, so the file can be edited and paid with `/payout run csv`.
          columns: ['seller', 'amount', 'currency', 'description'],
          data: entries.map((e) => [e.userId, majorUnitsText(e.money), e.money.currency, e.description]),
        });
      }
      const [who, amount, currency, ...words] = ctx.args;
      const sellerUserId = parseUserMention(who);
      if (!sellerUserId || !amount) return ctx.reply(`Mention a seller and give an amount: \`${USAGE}\`.`);
      if (!(await allowed(deps, ctx, 'requester'))) return;
      if (amount.toLowerCase() === 'none' && !currency) {
        // Removing a seller from the plan only stops money, so it takes effect at once.
        const removed = await deps.payoutPlan.remove(ctx.teamId, sellerUserId, ctx.userId);
        return ctx.reply(
          removed
            ? `:wastebasket: ${mention(sellerUserId)} is no longer in the payout plan.`
            : `${mention(sellerUserId)} was not in the payout plan.`,
        );
      }
      let money: Money;
      try {
        money = parseMoney(amount, currency ?? '');
      } catch (error) {
        if (error instanceof MoneyError) return ctx.reply(`${wordsFor(error)} Usage: \`${USAGE}\`.`);
        throw error;
      }
      await replyOnAppError(ctx.reply, async () => {
        const request = await deps.requests.create({
          kind: 'plan',
          teamId: ctx.teamId,
          requestedBy: ctx.userId,
          money,
          sellerUserId,
          description: readDescription(words.join(' ')),
        });
        await ctx.reply(`:inbox_tray: Asked for approval: ${requestSummary(request)} (\`${request.id}\`).`);
      });
    },
  };
}
