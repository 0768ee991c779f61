import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { AppDeps } from '../src/deps.js';
import { isAppError } from '../src/domain/errors.js';
import { formatMoney, majorUnitsText, MoneyError, normalizeCurrency, parseMoney } from '../src/domain/money.js';
import { formatDay, fundingStatusMessage } from '../src/slack/blocks/funding.js';
import { moneyRequestModal } from '../src/slack/blocks/request-modals.js';
import { requestSummary } from '../src/slack/blocks/requests.js';
import { ACTION_IDS } from '../src/slack/ids.js';
import { allowed } from './guards.js';
import { ephemeralReply } from './reply.js';
import type { Subcommand, SubcommandContext } from './types.js';

const USAGE = '/payout funding auto <cap> <currency> | /payout funding off | /payout funding';

/**
 * `funding auto <cap> <currency>` asks for a standing permission (approved like a request of the cap), `funding off`
 * stops automatic top-ups at once, `funding` shows what is on.
 */
export function fundingCommand(deps: AppDeps): Subcommand {
  return {
    name: 'funding',
    usage: USAGE,
    summary: 'let the bot top up by itself when the forecast falls short, within a cap per 7 days (after approval); `off` stops it at once',
    async run(ctx) {
      const [what, ...rest] = ctx.args.map((a) => a.toLowerCase());
      if (what === undefined) {
        if (!(await allowed(deps, ctx, 'staff'))) return;
        const [status, platform] = await Promise.all([deps.autoFunding.status(), deps.gateway.platformAccount()]);
        return ctx.reply(fundingStatusMessage(status, platform.defaultCurrency));
      }
      if (what === 'off' && rest.length <= 1) return turnOff(deps, ctx, rest[0]);
      if (what === 'auto' && rest.length === 2) return askForAuto(deps, ctx, rest[0]!, rest[1]!);
      await ctx.reply(`I didn't get that. Usage: \`${USAGE}\`, e.g. \`/payout funding auto 20000 usd\`.`);
    },
  };
}

async function askForAuto(deps: AppDeps, ctx: SubcommandContext, cap: string, currency: string) {
  if (!(await allowed(deps, ctx, 'requester'))) return;
  try {
    const request = await deps.requests.create({ kind: 'funding', teamId: ctx.teamId, requestedBy: ctx.userId, money: parseMoney(cap, currency), description: null });
    await ctx.reply(`:inbox_tray: Asked for approval: ${requestSummary(request)} (\`${request.id}\`).`);
  } catch (error) {
    if (error instanceof MoneyError) return ctx.reply(`${error.message} Usage: \`${USAGE}\`.`);
    if (!isAppError(error)) throw error;
    await ctx.reply(`:x: ${error.userMessage}`);
  }
}

/** Stopping money needs no approval: any requester or approver may. */
async function turnOff(deps: AppDeps, ctx: SubcommandContext, currency: string | undefined) {
  if (!(await allowed(deps, ctx, 'staff'))) return;
  let code: string;
  try {
    code = currency ? normalizeCurrency(currency) : (await deps.gateway.platformAccount()).defaultCurrency;
  } catch (error) {
    if (error instanceof MoneyError) return ctx.reply(error.message);
    throw error;
  }
  const removed = await deps.autoFunding.disable(code, ctx.userId);
  await ctx.reply(
    removed
      ? `:octagonal_sign: Automatic ${code.toUpperCase()} top-ups are off (the cap was ${formatMoney({ amount: removed.cap, currency: code })} per 7 days). Shortfalls get a notice again.`
      : `Automatic ${code.toUpperCase()} top-ups were not on.`,
  );
}

/** The shortfall notice's Request top-up button: the top-up modal, prefilled with the shortfall, approved as usual. */
export function registerFundingListeners(app: App, deps: AppDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.fundingRequestTopup, async ({ ack, body, action, client }) => {
    await ack();
    const reply = ephemeralReply(client, body.channel?.id, body.user.id);
    const notice = await deps.funding.notice(action.value ?? '');
    if (!notice || notice.status !== 'open') return reply('This shortfall is no longer open: see `/payout forecast`.');
    if (!(await deps.access.has(body.user.id, 'requester'))) return reply(":lock: Only payout requesters can ask for a top-up.");
    const prefill = { amount: majorUnitsText(notice), currency: notice.currency, description: `Shortfall on ${formatDay(notice.day)}` };
    await client.views.open({ trigger_id: body.trigger_id, view: moneyRequestModal('topup', { channelId: body.channel?.id ?? body.user.id }, prefill) });
  });
}
