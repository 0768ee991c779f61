import type { Difference, DifferenceClass, ReconcileResult } from '../../domain/reconcile.types.js';
import { escapeMrkdwn } from '../mrkdwn.js';
import { context, type KnownBlock, type SlackMessage, section } from './common.js';
import { LIMITS } from './limits.js';
import { listBlocks } from './list.js';

/** Differences shown in a message; all of them go to a CSV file. */
export const DIFFERENCES_SHOWN = 20;

const CLASS_NAMES: Record<DifferenceClass, string> = {
  missing_at_stripe: 'Missing at Stripe',
  unknown_ours: 'Unknown to us, made by the bot',
  unknown_foreign: 'Made outside the bot',
  field_drift: 'Field drift',
  state_drift: 'State drift',
  balance_drift: 'Balance drift',
};

/** What to do about each kind of difference, in the words of the person who has to act. */
export function whatToDo(d: Difference): string {
  switch (d.class) {
    case 'missing_at_stripe':
      return 'Stripe has nothing for this payment. Check the Dashboard; if it never happened, request it again.';
    case 'unknown_ours':
      return d.field === 'duplicate'
        ? 'Two Stripe objects for one payment: reverse the extra one in the Dashboard.'
        : 'Made by the bot but missing from our records: now recorded (audited as reconcile.adopted).';
    case 'unknown_foreign':
      return 'Made outside the bot (e.g. in the Dashboard) and not adopted: find out who made it and why.';
    case 'field_drift':
      return "Stripe's value is what moved: find out why it differs from what was approved.";
    case 'state_drift':
      return "Stripe's state is the truth and we missed its webhook: tell the seller or requester, and pay again if needed.";
    case 'balance_drift':
      return "Open these payments' balance transactions in the Dashboard (fees, reversals, currency) and find the difference.";
  }
}

const refsOf = (d: Difference) => [d.payoutRef, ...(d.alsoRefs ?? [])].filter((r): r is string => r !== null);

export function summaryLine(result: Pick<ReconcileResult, 'compared' | 'differences'>): string {
  const n = result.differences.length;
  return `${result.compared} payments compared, ${n} ${n === 1 ? 'difference' : 'differences'}`;
}

const windowText = (result: ReconcileResult) =>
  `${result.window.from.slice(0, 10)}..${new Date(Date.parse(result.window.to) - 86_400_000).toISOString().slice(0, 10)}`;

function differenceLine(d: Difference): string {
  const refs = refsOf(d)
    .map((r) => `\`${r}\``)
    .join(', ');
  const ids = [refs, d.stripeId ? `\`${d.stripeId}\`` : ''].filter(Boolean).join(' · ');
  return `• *${CLASS_NAMES[d.class]}* (${escapeMrkdwn(d.field)}) ${ids}: ours ${escapeMrkdwn(d.ours)}; Stripe ${escapeMrkdwn(d.stripe)}. ${whatToDo(d)}`;
}

/** One line first (how many compared, how many differences), then the differences, cut to fit with the way to get all of them. */
export function reconcileMessage(result: ReconcileResult, moreLabel: string): SlackMessage {
  const icon = result.differences.length === 0 ? ':white_check_mark:' : ':warning:';
  const summary = summaryLine(result);
  const blocks: KnownBlock[] = [section(`${icon} *${summary}* with Stripe, ${windowText(result)} (UTC).`)];
  blocks.push(
    ...listBlocks(result.differences, differenceLine, {
      maxBlocks: LIMITS.messageBlocks - 2,
      maxItems: DIFFERENCES_SHOWN,
      moreLabel,
    }),
  );
  blocks.push(
    context(
      `\`${result.id}\` · ${result.trigger === 'command' ? 'asked for' : result.trigger === 'run' ? 'after a payout run' : 'nightly'} · ${result.listCalls} Stripe list calls`,
    ),
  );
  return { text: `Reconcile: ${summary}`, blocks };
}

export const DIFFERENCE_COLUMNS = [
  'class',
  'payout_refs',
  'stripe_id',
  'field',
  'ours',
  'stripe',
  'what_to_do',
] as const;

export const differenceRow = (d: Difference): string[] => [
  d.class,
  refsOf(d).join(' '),
  d.stripeId ?? '',
  d.field,
  d.ours,
  d.stripe,
  whatToDo(d),
];
