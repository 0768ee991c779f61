import type { CommandDeps } from '../src/deps.js';
import { type Money, MoneyError, parseMoney } from '../src/domain/money.js';
import { requestRef } from '../src/domain/payments.js';
import { readDescription } from '../src/domain/text.js';
import type { Logger } from '../src/logger.js';
import { allowed } from '../src/slack/allowed.js';
import { replyOnAppError, wordsFor } from '../src/slack/app-errors.js';
import { moneyRequestModal } from '../src/slack/blocks/request-modals.js';
import { requestSummary } from '../src/slack/blocks/requests.js';
import { modalCurrencies } from '../src/slack/modal-currencies.js';
import { parseUserMention } from '../src/slack/mrkdwn.js';
import type { Reply } from '../src/slack/replies.js';
import { type Subcommand, withoutArguments } from './types.js';

type MoneyKind = 'transfer' | 'topup';

const USAGES: Record<MoneyKind, string> = {
  transfer: '/payout transfer @seller <amount> <currency> [description]',
  topup: '/payout topup <amount> <currency> [description]',
};

export interface MoneyArgs {
  money: Money;
  sellerUserId?: string;
  description: string | null;
}

/** `[@seller] <amount> <currency> [description…]` → the parts, or a message for the person. */
export function parseMoneyArgs(kind: MoneyKind, args: string[]): MoneyArgs | string {
  const rest = [...args];
  let sellerUserId: string | undefined;
  if (kind === 'transfer') {
    sellerUserId = parseUserMention(rest.shift());
    if (!sellerUserId) return `Mention the seller first: \`${USAGES[kind]}\`.`;
  }
  const [amount, currency, ...words] = rest;
  if (!amount || !currency)
    return `Give an amount and a currency: \`${USAGES[kind]}\`, e.g. \`${kind === 'transfer' ? '/payout transfer @ana 120.00 eur weekly earnings' : '/payout topup 2000.00 usd'}\`.`;
  try {
    const money = parseMoney(amount, currency);
    return { money, ...(sellerUserId ? { sellerUserId } : {}), description: readDescription(words.join(' ')) };
  } catch (error) {
    const words = wordsFor(error);
    return error instanceof MoneyError ? `${words} Usage: \`${USAGES[kind]}\`.` : words;
  }
}

/** Asks for approval of a transfer or top-up and tells the person; the command and the modals both end here. */
export async function submitMoneyRequest(
  deps: Pick<CommandDeps, 'requests'>,
  ctx: { userId: string; teamId: string; reply: Reply; log: Logger },
  kind: MoneyKind,
  args: MoneyArgs & { statementDescriptor?: string | null },
) {
  await replyOnAppError(
    ctx.reply,
    async () => {
      const request = await deps.requests.create({ kind, teamId: ctx.teamId, requestedBy: ctx.userId, ...args });
      ctx.log.info(
        {
          event: 'request.created',
          payoutRef: requestRef(request.id),
          kind,
          amount: request.money.amount,
          currency: request.money.currency,
        },
        'request created',
      );
      await ctx.reply(
        `:inbox_tray: Asked for approval: ${requestSummary(request)} (\`${request.id}\`). You'll get a DM with the outcome.`,
      );
    },
    { refused: (error) => ctx.log.info({ event: 'request.refused', code: error.code }, 'request refused') },
  );
}

export function moneyRequestCommand(deps: CommandDeps, kind: MoneyKind): Subcommand {
  return {
    name: kind,
    usage: USAGES[kind],
    summary:
      kind === 'transfer'
        ? 'ask to pay a seller; runs after approval'
        : 'ask to add funds to the platform balance; runs after approval',
    opensModal: withoutArguments,
    async run(ctx) {
      if (!(await allowed(deps, ctx, 'requester'))) return;
      if (ctx.args.length === 0) {
        await ctx.client.views.open({
          trigger_id: ctx.triggerId,
          view: moneyRequestModal(kind, { channelId: ctx.channelId }, {}, await modalCurrencies(deps.treasury, kind)),
        });
        return;
      }
      const parsed = parseMoneyArgs(kind, ctx.args);
      if (typeof parsed === 'string') return ctx.reply(parsed);
      await submitMoneyRequest(deps, ctx, kind, parsed);
    },
  };
}
