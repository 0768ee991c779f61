import type { AppDeps } from '../src/deps.js';
import type { FreezeScope } from '../src/domain/controls.types.js';
import { scopeKey } from '../src/domain/controls.js';
import { isAppError } from '../src/domain/errors.js';
import { parseUserMention } from '../src/domain/ids.js';
import { MoneyError, normalizeCurrency } from '../src/domain/money.js';
import { readDescription } from '../src/domain/text.js';
import { freezeLine, scopeArgument, scopeLabel } from '../src/slack/blocks/controls.js';
import { requestSummary } from '../src/slack/blocks/requests.js';
import { mention } from '../src/slack/mrkdwn.js';
import { allowed } from './guards.js';
import type { Subcommand, SubcommandContext } from './types.js';

const SCOPES = 'all|@seller|<currency>';

/** `all`, a seller's mention (a seller we know, since a freeze names their Stripe account) or a currency code. */
async function parseScope(deps: AppDeps, ctx: Pick<SubcommandContext, 'teamId'>, token: string | undefined): Promise<FreezeScope | string> {
  if (!token) return `Say what to stop: \`${SCOPES}\`.`;
  if (token.toLowerCase() === 'all') return { kind: 'all' };
  const userId = parseUserMention(token);
  if (userId) {
    const seller = await deps.sellers.get(ctx.teamId, userId);
    return seller ? { kind: 'seller', userId, accountId: seller.accountId } : `${mention(userId)} is not a seller, so there is nothing to freeze for them.`;
  }
  try {
    return { kind: 'currency', currency: normalizeCurrency(token) };
  } catch (error) {
    if (error instanceof MoneyError) return `${error.message}. Say what to stop: \`${SCOPES}\`.`;
    throw error;
  }
}

/** The kill switch: any approver stops payouts at once; lifting it is a request two approvers approve. */
export function freezeCommands(deps: AppDeps): Subcommand[] {
  const freezeUsage = `/payout freeze ${SCOPES} <reason>`;
  const unfreezeUsage = `/payout unfreeze ${SCOPES}`;
  return [
    {
      name: 'freeze',
      usage: freezeUsage,
      summary: 'stop payouts at once (all, one seller, or one currency); approvers only',
      async run(ctx) {
        if (ctx.args.length === 0) {
          if (!(await allowed(deps, ctx, 'staff'))) return;
          const freezes = await deps.freezes.list();
          return ctx.reply(freezes.length ? freezes.map(freezeLine).join('\n') : `:large_green_circle: Nothing is frozen. To stop payouts: \`${freezeUsage}\`.`);
        }
        const [token, ...words] = ctx.args;
        let reason: string | null;
        try {
          reason = readDescription(words.join(' '), 'reason');
        } catch (error) {
          if (!isAppError(error)) throw error;
          return ctx.reply(`:x: ${error.userMessage}`);
        }
        if (!reason) return ctx.reply(`Say why, so everyone knows what to check before unfreezing: \`${freezeUsage}\`.`);
        if (!(await allowed(deps, ctx, 'approver'))) return;
        const scope = await parseScope(deps, ctx, token);
        if (typeof scope === 'string') return ctx.reply(scope);
        const frozen = await deps.freezes.freeze({ scope, by: ctx.userId, reason, at: deps.clock.now().toISOString() });
        ctx.log.info({ event: frozen ? 'freeze.on' : 'freeze.already', scope: scopeKey(scope) }, 'freeze');
        await ctx.reply(
          frozen
            ? `:octagonal_sign: Frozen: ${scopeLabel(scope)}. Nothing in it reaches Stripe now; ops and approvers have been told.`
            : `${scopeLabel(scope)} were frozen already; that freeze stays as it is.`,
        );
      },
    },
    {
      name: 'unfreeze',
      usage: unfreezeUsage,
      summary: 'ask to lift a freeze; two approvers approve',
      async run(ctx) {
        const [token, ...words] = ctx.args;
        if (!(await allowed(deps, ctx, 'staff'))) return;
        const scope = await parseScope(deps, ctx, token);
        if (typeof scope === 'string') return ctx.reply(scope);
        const frozen = (await deps.freezes.list()).some((f) => scopeKey(f.scope) === scopeKey(scope));
        if (!frozen) return ctx.reply(`${scopeLabel(scope)} are not frozen. \`/payout freeze\` lists what is.`);
        try {
          const request = await deps.requests.create({ kind: 'unfreeze', teamId: ctx.teamId, requestedBy: ctx.userId, description: readDescription(words.join(' ')), unfreeze: scope });
          await ctx.reply(`:inbox_tray: Asked two approvers to ${requestSummary(request)} (\`${request.id}\`). Until then \`${scopeArgument(scope)}\` stays frozen.`);
        } catch (error) {
          if (!isAppError(error)) throw error;
          await ctx.reply(`:x: ${error.userMessage}`);
        }
      },
    },
  ];
}
