import type { App } from '@slack/bolt';
import { z } from 'zod';
import { submitMoneyRequest } from '../commands/money-request.js';
import type { CommandDeps } from '../src/deps.js';
import { formatMoney, type Money, MoneyError, parseMoney } from '../src/domain/money.js';
import { exceedsMaximum } from '../src/domain/policy.js';
import { readDescription } from '../src/domain/text.js';
import { newTraceId } from '../src/logger.js';
import { fieldWordsFor } from '../src/slack/app-errors.js';
import { MONEY_FIELDS, VIEW_IDS } from '../src/slack/ids.js';
import { channelMeta, field, readView } from '../src/slack/read-view.js';
import { ephemeralReply } from '../src/slack/replies.js';
import { onSubmission } from './on-submission.js';

const MoneyForm = z
  .object({
    [MONEY_FIELDS.seller.block]: field.option,
    [MONEY_FIELDS.amount.block]: field.text,
    // A select of the held balances, or a typed code when Stripe was slow to say which.
    [MONEY_FIELDS.currency.block]: field.choiceOrText,
    [MONEY_FIELDS.description.block]: field.text,
    [MONEY_FIELDS.statementDescriptor.block]: field.text,
    meta: channelMeta,
  })
  .transform((f) => ({
    sellerUserId: f[MONEY_FIELDS.seller.block],
    amount: f[MONEY_FIELDS.amount.block],
    currency: f[MONEY_FIELDS.currency.block],
    description: f[MONEY_FIELDS.description.block],
    statementDescriptor: f[MONEY_FIELDS.statementDescriptor.block],
    channelId: f.meta.channelId,
  }));

/** The transfer and top-up modals (from the command or a shortcut): fields are checked against Redis before the ack, so mistakes show in place. */
export function register(app: App, deps: CommandDeps): void {
  for (const kind of ['transfer', 'topup'] as const) {
    onSubmission(
      app,
      deps,
      kind === 'transfer' ? VIEW_IDS.transfer : VIEW_IDS.topup,
      async ({ ack, body, view, client }) => {
        const form = readView(view, MoneyForm);
        const userId = body.user.id;
        const teamId = body.team?.id ?? body.user.team_id ?? '';
        const errors: Record<string, string> = {};
        let money: Money | undefined;
        try {
          money = parseMoney(form.amount, form.currency);
          const max = exceedsMaximum(money, deps.config.MAX_REQUEST_AMOUNTS);
          if (max !== undefined)
            errors[MONEY_FIELDS.amount.block] =
              `At most ${formatMoney({ amount: max, currency: money.currency })} per request.`;
        } catch (error) {
          if (!(error instanceof MoneyError)) throw error;
          errors[error.code === 'currency_unknown' ? MONEY_FIELDS.currency.block : MONEY_FIELDS.amount.block] =
            fieldWordsFor(error);
        }
        let description: string | null = null;
        try {
          description = readDescription(form.description);
        } catch (error) {
          errors[MONEY_FIELDS.description.block] = fieldWordsFor(error);
        }
        const { sellerUserId } = form;
        if (kind === 'transfer') {
          const seller = sellerUserId ? await deps.sellers.get(teamId, sellerUserId) : undefined;
          if (!seller) errors[MONEY_FIELDS.seller.block] = 'Choose a seller from the list.';
          else if (seller.state !== 'payable')
            errors[MONEY_FIELDS.seller.block] = 'This seller has not finished onboarding and cannot be paid yet.';
        }
        if (Object.keys(errors).length > 0 || !money) return ack({ response_action: 'errors', errors });
        await ack();
        const log = deps.logger.child({ traceId: newTraceId(), userId, command: kind });
        const statementDescriptor = kind === 'topup' ? form.statementDescriptor || null : null;
        const reply = ephemeralReply(client, form.channelId, userId);
        await submitMoneyRequest(deps, { userId, teamId, reply, log }, kind, {
          money,
          description,
          statementDescriptor,
          ...(sellerUserId ? { sellerUserId } : {}),
        });
      },
    );
  }
}
