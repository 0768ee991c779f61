import { requestRef } from '../src/domain/payments.js';
import { newTraceId } from '../src/logger.js';
import type { App } from '@slack/bolt';
import type { AppDeps } from '../src/deps.js';
import { isAppError } from '../src/domain/errors.js';
import { exceedsMaximum } from '../src/domain/policy.js';
import { formatMoney, MoneyError, parseMoney, type Money } from '../src/domain/money.js';
import { readDescription } from '../src/domain/text.js';
import type { RequestKind } from '../src/domain/requests.types.js';
import { LIMITS, clip } from '../src/slack/blocks/limits.js';
import { moneyRequestModal } from '../src/slack/blocks/request-modals.js';
import { requestSummary } from '../src/slack/blocks/requests.js';
import { ACTION_IDS, MONEY_FIELDS, SHORTCUT_IDS, VIEW_IDS } from '../src/slack/ids.js';
import { parseUserMention } from '../src/domain/ids.js';
import { allowed } from './guards.js';
import { ephemeralReply, modalChannel } from './reply.js';
import { onSubmission } from './submissions.js';
import type { Subcommand, SubcommandContext } from './types.js';

const USAGES: Record<'transfer' | 'topup', string> = {
  transfer: '/payout transfer @seller <amount> <currency> [description]',
  topup: '/payout topup <amount> <currency> [description]',
};

interface MoneyArgs {
  money: Money;
  sellerUserId?: string;
  description: string | null;
}

/** `[@seller] <amount> <currency> [description…]` → the parts, or a message for the person. */
export function parseMoneyArgs(kind: 'transfer' | 'topup', args: string[]): MoneyArgs | string {
  const rest = [...args];
  let sellerUserId: string | undefined;
  if (kind === 'transfer') {
    sellerUserId = parseUserMention(rest.shift());
    if (!sellerUserId) return `Mention the seller first: \`${USAGES[kind]}\`.`;
  }
  const [amount, currency, ...words] = rest;
  if (!amount || !currency) return `Give an amount and a currency: \`${USAGES[kind]}\`, e.g. \`${kind === 'transfer' ? '/payout transfer @ana 120.00 eur weekly earnings' : '/payout topup 2000.00 usd'}\`.`;
  try {
    const money = parseMoney(amount, currency);
    return { money, ...(sellerUserId ? { sellerUserId } : {}), description: readDescription(words.join(' ')) };
  } catch (error) {
    if (error instanceof MoneyError) return `${error.userMessage} Usage: \`${USAGES[kind]}\`.`;
    if (isAppError(error)) return error.userMessage;
    throw error;
  }
}

async function submit(deps: AppDeps, ctx: Pick<SubcommandContext, 'userId' | 'teamId' | 'reply' | 'log'>, kind: RequestKind, args: MoneyArgs & { statementDescriptor?: string | null }) {
  try {
    const request = await deps.requests.create({ kind, teamId: ctx.teamId, requestedBy: ctx.userId, ...args });
    ctx.log.info({ event: 'request.created', payoutRef: requestRef(request.id), kind, amount: request.money.amount, currency: request.money.currency }, 'request created');
    await ctx.reply(`:inbox_tray: Asked for approval: ${requestSummary(request)} (\`${request.id}\`). You'll get a DM with the outcome.`);
  } catch (error) {
    if (!isAppError(error)) throw error;
    ctx.log.info({ event: 'request.refused', code: error.code }, 'request refused');
    await ctx.reply(`:x: ${error.userMessage}`);
  }
}

export function moneyRequestCommand(deps: AppDeps, kind: 'transfer' | 'topup'): Subcommand {
  return {
    name: kind,
    usage: USAGES[kind],
    summary: kind === 'transfer' ? 'ask to pay a seller; runs after approval' : 'ask to add funds to the platform balance; runs after approval',
    async run(ctx) {
      if (!(await allowed(deps, ctx, 'requester'))) return;
      if (ctx.args.length === 0) {
        await ctx.client.views.open({ trigger_id: ctx.triggerId, view: moneyRequestModal(kind, { channelId: ctx.channelId }) });
        return;
      }
      const parsed = parseMoneyArgs(kind, ctx.args);
      if (typeof parsed === 'string') return ctx.reply(parsed);
      await submit(deps, ctx, kind, parsed);
    },
  };
}

interface InputValue {
  value?: string | null;
  selected_option?: { value: string } | null;
}

/** The transfer and top-up modals: fields are checked against Redis before the ack, so mistakes show in place. */
export function registerMoneyRequestModals(app: App, deps: AppDeps): void {
  for (const kind of ['transfer', 'topup'] as const) {
    // The global shortcuts ("Request a transfer", "Request a top-up") open the same modals as the command.
    app.shortcut(SHORTCUT_IDS[kind], async ({ ack, shortcut, client }) => {
      await ack();
      // Opened from no channel: the modal's answers go to the person's DM with the bot.
      const reply = ephemeralReply(client, undefined, shortcut.user.id);
      if (!(await allowed(deps, { userId: shortcut.user.id, reply }, 'requester'))) return;
      await client.views.open({ trigger_id: shortcut.trigger_id, view: moneyRequestModal(kind, { channelId: '' }) });
    });
    onSubmission(app, deps, kind === 'transfer' ? VIEW_IDS.transfer : VIEW_IDS.topup, async ({ ack, body, view, client }) => {
      const values = view.state.values as Record<string, Record<string, InputValue>>;
      const text = (f: { block: string; action: string }) => values[f.block]?.[f.action]?.value?.trim() ?? '';
      const userId = body.user.id;
      const teamId = body.team?.id ?? body.user.team_id ?? '';
      const errors: Record<string, string> = {};
      let money: Money | undefined;
      try {
        money = parseMoney(text(MONEY_FIELDS.amount), text(MONEY_FIELDS.currency));
        const max = exceedsMaximum(money, deps.config.MAX_REQUEST_AMOUNTS);
        if (max !== undefined) errors[MONEY_FIELDS.amount.block] = `At most ${formatMoney({ amount: max, currency: money.currency })} per request.`;
      } catch (error) {
        if (!(error instanceof MoneyError)) throw error;
        errors[error.code === 'currency_unknown' ? MONEY_FIELDS.currency.block : MONEY_FIELDS.amount.block] = error.userMessage;
      }
      let description: string | null = null;
      try {
        description = readDescription(text(MONEY_FIELDS.description));
      } catch (error) {
        if (!isAppError(error)) throw error;
        errors[MONEY_FIELDS.description.block] = error.userMessage;
      }
      const sellerUserId = values[MONEY_FIELDS.seller.block]?.[MONEY_FIELDS.seller.action]?.selected_option?.value;
      if (kind === 'transfer') {
        const seller = sellerUserId ? await deps.sellers.get(teamId, sellerUserId) : undefined;
        if (!seller) errors[MONEY_FIELDS.seller.block] = 'Choose a seller from the list.';
        else if (seller.state !== 'payable') errors[MONEY_FIELDS.seller.block] = 'This seller has not finished onboarding and cannot be paid yet.';
      }
      if (Object.keys(errors).length > 0 || !money) return ack({ response_action: 'errors', errors });
      await ack();
      const log = deps.logger.child({ traceId: newTraceId(), userId, command: kind });
      const statementDescriptor = kind === 'topup' ? text(MONEY_FIELDS.statementDescriptor) || null : null;
      const reply = ephemeralReply(client, modalChannel(view.private_metadata), userId);
      await submit(deps, { userId, teamId, reply, log }, kind, { money, description, statementDescriptor, ...(sellerUserId ? { sellerUserId } : {}) });
    });
  }

  // The seller picker finds payable sellers as you type: a static list would stop at 100.
  app.options(ACTION_IDS.sellerPicker, async ({ ack, body }) => {
    const teamId = body.team?.id ?? '';
    const query = (body.value ?? '').toLowerCase();
    const sellers = (await deps.sellers.list(teamId)).filter(
      (s) => s.state === 'payable' && [s.displayName, s.userId, s.accountId, s.email].some((v) => v?.toLowerCase().includes(query)),
    );
    await ack({
      options: sellers.slice(0, 100).map((s) => ({ text: { type: 'plain_text' as const, text: clip(`${s.displayName ?? s.userId} (${s.accountId})`, LIMITS.optionText) }, value: s.userId })),
    });
  });
}
