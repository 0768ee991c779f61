import type { types } from '@slack/bolt';
import type { Freeze, FreezeScope, LimitHold } from '../../domain/controls.types.js';
import { formatMoney, type Money } from '../../domain/money.js';
import { MAX_DESCRIPTION_LENGTH } from '../../domain/text.js';
import { ACTION_IDS, FREEZE_FIELDS, VIEW_IDS } from '../ids.js';
import { escapeMrkdwn, mention, slackDate } from '../mrkdwn.js';
import { button, confirmed, type KnownBlock, modal, plain, type SlackMessage, section, textInput } from './common.js';
import { clip, LIMITS } from './limits.js';

/** "all payouts" / "EUR payouts" / "payouts to @ana". */
export function scopeLabel(scope: FreezeScope): string {
  if (scope.kind === 'all') return 'all payouts';
  if (scope.kind === 'currency') return `${scope.currency.toUpperCase()} payouts`;
  return `payouts to ${mention(scope.userId)}`;
}

/** The words after `/payout unfreeze` that name this scope. */
export const scopeArgument = (scope: FreezeScope): string =>
  scope.kind === 'all' ? 'all' : scope.kind === 'currency' ? scope.currency : mention(scope.userId);

export const freezeLine = (freeze: Freeze): string =>
  `:octagonal_sign: *Frozen: ${scopeLabel(freeze.scope)}* by ${mention(freeze.by)} ${slackDate(freeze.at)}: ${escapeMrkdwn(freeze.reason)}`;

export const freezeNotice = (freeze: Freeze): SlackMessage =>
  plain(
    `${freezeLine(freeze)}\nNothing in this scope reaches Stripe until it is unfrozen; requests can still be made and approved, and they wait. To lift it: \`/payout unfreeze ${scopeArgument(freeze.scope)}\` (two approvers).`,
  );

export const unfreezeNotice = (freeze: Freeze, by: string[]): SlackMessage =>
  plain(
    `:arrow_forward: *Unfrozen: ${scopeLabel(freeze.scope)}*, approved by ${by.map(mention).join(' and ')}. The payments that waited go out now, each once.`,
  );

/** A payment held by a daily limit. Ops gets the override button (a request two approvers decide); the requester's DM only the news. */
export function limitNotice(
  event: { payoutRef: string; which: 'total' | 'seller'; limit: Money; used: Money; money: Money; accountId: string },
  options: { offerOverride: boolean },
): SlackMessage {
  const what = event.which === 'total' ? 'the daily limit' : `the daily limit per seller (\`${event.accountId}\`)`;
  const notice = plain(
    `:warning: *Daily limit reached*: ${formatMoney(event.money)} (\`${event.payoutRef}\`) would pass ${what} of ${formatMoney(event.limit)} (${formatMoney(event.used)} paid today). It waits and goes out on the next UTC day, or today if two approvers approve an override.`,
  );
  if (!options.offerOverride) return notice;
  return { ...notice, blocks: [...notice.blocks, { type: 'actions', elements: [limitOverrideButton(event)] }] };
}

/** "Override the daily limit", on the ops notice and the approver's Home tab: it asks two approvers, after a confirm. */
export const limitOverrideButton = (held: { payoutRef: string; money: Money }): types.Button =>
  confirmed(
    button(ACTION_IDS.limitOverride, 'Override the daily limit', held.payoutRef),
    'Ask to override the limit?',
    `This asks two approvers to let ${formatMoney(held.money)} (${held.payoutRef}) go today, past the daily limit. It still counts towards today's total.`,
    'Ask approvers',
  );

/** One held payment on the Home tab: what, to whom, and which limit holds it, with the override button beside it. */
export const limitHoldRow = (hold: LimitHold, payeeUserId: string | undefined): KnownBlock => ({
  type: 'section',
  text: {
    type: 'mrkdwn',
    text: clip(
      `*${formatMoney(hold.money)}* to ${payeeUserId ? `${mention(payeeUserId)} · ` : ''}\`${hold.accountId}\` · \`${hold.payoutRef}\`\nheld by ${hold.which === 'total' ? 'the daily limit' : 'the daily limit per seller'} of ${formatMoney(hold.limit)} since ${hold.day}`,
      LIMITS.sectionText,
    ),
  },
  accessory: limitOverrideButton(hold),
});

export const NOT_AN_APPROVER =
  ':lock: Sorry, only approvers can freeze payouts, so nothing was changed. Ask an approver, or your finance lead if you should be one.';

/** The approver's Home tab button: Slack asks first, then the modal asks why. */
export const freezeAllButton = (): types.Button =>
  confirmed(
    button(ACTION_IDS.homeFreeze, 'Freeze all payouts', 'all', 'danger'),
    'Freeze all payouts?',
    'Nothing reaches Stripe from the moment you confirm the reason, until two approvers unfreeze. Requests can still be made and approved; they wait.',
    'Freeze…',
  );

/** Why everything stops: ops and approvers read it, and it is kept in the audit log. */
export const freezeModal = (): types.ModalView =>
  modal({
    callbackId: VIEW_IDS.freeze,
    meta: {},
    title: 'Freeze all payouts',
    submit: 'Freeze now',
    blocks: [
      section(
        ':octagonal_sign: Every payout stops at once: nothing reaches Stripe until two approvers approve `/payout unfreeze all`.',
      ),
      textInput(FREEZE_FIELDS.reason, 'Why?', {
        multiline: true,
        maxLength: MAX_DESCRIPTION_LENGTH,
        placeholder: 'Everyone sees this: say what to check before unfreezing.',
      }),
    ],
  });
