import type { Freeze, FreezeScope } from '../../domain/controls.types.js';
import { formatMoney, type Money } from '../../domain/money.js';
import { escapeMrkdwn, mention, slackDate } from '../mrkdwn.js';
import { plain, type SlackMessage } from './common.js';

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
  plain(`${freezeLine(freeze)}\nNothing in this scope reaches Stripe until it is unfrozen; requests can still be made and approved, and they wait. To lift it: \`/payout unfreeze ${scopeArgument(freeze.scope)}\` (two approvers).`);

export const unfreezeNotice = (freeze: Freeze, by: string[]): SlackMessage =>
  plain(`:arrow_forward: *Unfrozen: ${scopeLabel(freeze.scope)}*, approved by ${by.map(mention).join(' and ')}. The payments that waited go out now, each once.`);

export function limitNotice(event: { payoutRef: string; which: 'total' | 'seller'; limit: Money; used: Money; money: Money; accountId: string }): SlackMessage {
  const what = event.which === 'total' ? 'the daily limit' : `the daily limit per seller (\`${event.accountId}\`)`;
  return plain(
    `:warning: *Daily limit reached*: ${formatMoney(event.money)} (\`${event.payoutRef}\`) would pass ${what} of ${formatMoney(event.limit)} (${formatMoney(event.used)} paid today). It waits and goes out on the next UTC day.`,
  );
}
