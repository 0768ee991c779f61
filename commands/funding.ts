import type { CommandDeps } from '../src/deps.js';
import { formatMoney, type Money, MoneyError, normalizeCurrency, parseMoney } from '../src/domain/money.js';
import { allowed } from '../src/slack/allowed.js';
import { replyOnAppError, wordsFor } from '../src/slack/app-errors.js';
import { fundingStatusMessage } from '../src/slack/blocks/funding.js';
import { requestSummary } from '../src/slack/blocks/requests.js';
import type { Subcommand, SubcommandContext } from './types.js';

const USAGE = '/payout funding auto <cap> <currency> | /payout funding off | /payout funding';

/**
 * `funding auto <cap> <currency>` asks for a standing permission (approved like a request of the cap), `funding off`
 * stops automatic top-ups at once, `funding` shows what is on.
 */
export function fundingCommand(deps: CommandDeps): Subcommand {
  return {
    name: 'funding',
    usage: USAGE,
    summary:
      'let the bot top up by itself when the forecast falls short, within a cap per 7 days (after approval); `off` stops it at once',
    async run(ctx) {
      const [what, ...rest] = ctx.args.map((a) => a.toLowerCase());
      if (what === undefined) {
        if (!(await allowed(deps, ctx, 'staff'))) return;
        const [status, defaultCurrency] = await Promise.all([
          deps.autoFunding.status(),
          deps.treasury.defaultCurrency(),
        ]);
        return ctx.reply(fundingStatusMessage(status, defaultCurrency));
      }
      if (what === 'off' && rest.length <= 1) return turnOff(deps, ctx, rest[0]);
      if (what === 'auto' && rest.length === 2) return askForAuto(deps, ctx, rest[0]!, rest[1]!);
      await ctx.reply(`I didn't get that. Usage: \`${USAGE}\`, e.g. \`/payout funding auto 20000 usd\`.`);
    },
  };
}

async function askForAuto(deps: CommandDeps, ctx: SubcommandContext, cap: string, currency: string) {
  if (!(await allowed(deps, ctx, 'requester'))) return;
  let money: Money;
  try {
    money = parseMoney(cap, currency);
  } catch (error) {
    if (error instanceof MoneyError) return ctx.reply(`${wordsFor(error)} Usage: \`${USAGE}\`.`);
    throw error;
  }
  await replyOnAppError(ctx.reply, async () => {
    const request = await deps.requests.create({
      kind: 'funding',
      teamId: ctx.teamId,
      requestedBy: ctx.userId,
      money,
      description: null,
    });
    await ctx.reply(`:inbox_tray: Asked for approval: ${requestSummary(request)} (\`${request.id}\`).`);
  });
}

/** Stopping money needs no approval: any requester or approver may. */
async function turnOff(deps: CommandDeps, ctx: SubcommandContext, currency: string | undefined) {
  if (!(await allowed(deps, ctx, 'staff'))) return;
  let code: string;
  try {
    code = currency ? normalizeCurrency(currency) : await deps.treasury.defaultCurrency();
  } catch (error) {
    if (error instanceof MoneyError) return ctx.reply(wordsFor(error));
    throw error;
  }
  const removed = await deps.autoFunding.disable(code, ctx.userId);
  await ctx.reply(
    removed
      ? `:octagonal_sign: Automatic ${code.toUpperCase()} top-ups are off (the cap was ${formatMoney({ amount: removed.cap, currency: code })} per 7 days). Shortfalls get a notice again.`
      : `Automatic ${code.toUpperCase()} top-ups were not on.`,
  );
}
