import type { types } from '@slack/bolt';
import type { LimitLeft } from '../../domain/controls.types.js';
import { formatMoney, type Money } from '../../domain/money.js';
import type { ReminderPoint } from '../../domain/reminders.js';
import type { FundsCheck, Payee, PayoutRequest, RequestKind, RequestOf } from '../../domain/requests.types.js';
import { ACTION_IDS } from '../ids.js';
import { describeRecorded } from '../messages.js';
import { counted, escapeMrkdwn, mention, mentionPrincipal, slackDate } from '../mrkdwn.js';
import {
  button,
  confirmed,
  context,
  fields,
  header,
  type KnownBlock,
  plain,
  type SlackMessage,
  section,
} from './common.js';
import { scopeLabel } from './controls.js';
import { asOf } from './funding.js';
import { clip, LIMITS } from './limits.js';
import { listBlocks } from './list.js';
import { formatTotals, payLine, RUN_LINES_SHOWN, RUN_REST, scheduleWhat } from './payouts.js';

const KIND_TITLES: Record<RequestKind, string> = {
  topup: 'Top-up request',
  transfer: 'Transfer request',
  plan: 'Payout plan change',
  schedule: 'New schedule',
  resume: 'Resume schedule',
  run: 'Payout run request',
  unfreeze: 'Unfreeze payouts',
  funding: 'Automatic top-ups',
  override: 'Override the daily limit',
};

/** "2 sellers" for a run of two sellers; "2 sellers in 120 payments" when some are paid more than once. */
function runPeople(request: RequestOf<'run'>): string {
  const { lineCount, sellerCount } = request.run;
  return `${counted(sellerCount, 'seller')}${lineCount !== sellerCount ? ` in ${lineCount} payments` : ''}`;
}

const was = (request: PayoutRequest) =>
  request.kind === 'plan' && request.replaces ? ` (was ${formatMoney(request.replaces)})` : '';

/** The seller as a mention, or (in plain text, where mentions do not render) by name; older records without one by user id. */
const payeeText = (payee: Payee, text: 'mrkdwn' | 'plain') =>
  text === 'mrkdwn' ? mention(payee.userId) : (payee.name ?? `@${payee.userId}`);

/** "€10.00 to @ana" / "$2,000.00 top-up": the one-line summary used in notifications and DMs. */
export function requestSummary(request: PayoutRequest, text: 'mrkdwn' | 'plain' = 'mrkdwn'): string {
  const amount = formatMoney(request.money);
  switch (request.kind) {
    case 'transfer':
      return `${amount} to ${payeeText(request.destination, text)}`;
    case 'plan':
      return `${payeeText(request.destination, text)} gets ${amount} in every payout run${was(request)}`;
    case 'schedule':
    case 'resume':
      return `${request.kind === 'resume' ? 'resume ' : ''}${scheduleWhat(request.schedule)} (${formatTotals(request.totals)} each time)`;
    case 'run':
      return `pay ${runPeople(request)} ${formatTotals(request.totals)}`;
    case 'topup':
      return `${amount} top-up of the platform balance`;
    case 'unfreeze':
      return `unfreeze ${scopeLabel(request.unfreeze)}`;
    case 'funding':
      return `automatic top-ups of up to ${amount} in any 7 days, when the forecast falls short`;
    case 'override':
      return `let ${amount} (\`${request.override.payoutRef}\`) pass today's daily limit`;
  }
}

function destinationField(request: PayoutRequest): string {
  switch (request.kind) {
    case 'transfer':
    case 'plan':
      return `${mention(request.destination.userId)} · \`${request.destination.accountId}\``;
    case 'run':
      return `${runPeople(request)} (${request.run.source === 'csv' ? 'CSV batch' : request.run.source === 'retry' ? 'failed lines again' : 'the payout plan'})`;
    case 'schedule':
    case 'resume':
      return request.schedule.action === 'run' ? 'Everyone in the payout plan' : 'The platform balance';
    case 'topup':
    case 'funding':
      return 'The platform balance';
    case 'unfreeze':
      return scopeLabel(request.unfreeze);
    case 'override':
      return `${formatMoney(request.money)} to \`${request.override.accountId}\` (\`${request.override.payoutRef}\`)`;
  }
}

/** "2026-03-01 09:30 UTC": a bank change hold's times as the card has always shown them. */
const utcMinute = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** Why one more approver than the amount needs; records older than `bankChangeHold` kept words. */
function extraReason(request: PayoutRequest): string {
  if (request.kind !== 'transfer' && request.kind !== 'plan') return '';
  const { bankChangeHold: hold, extraApprovalReason: words } = request;
  const reason = hold
    ? `${mention(hold.userId)}'s bank account changed at ${utcMinute(hold.changedAt)} (held until ${utcMinute(hold.until)})`
    : words && escapeMrkdwn(words);
  return reason ? `\n:bank: One more approver than usual: ${reason}.` : '';
}

const approvers = (request: PayoutRequest) => request.approvals.map((a) => mention(a.userId)).join(' and ');
/** Final states keep who approved, when anyone did. */
const approvedBy = (request: PayoutRequest) =>
  request.approvals.length > 0 ? ` · approved by ${approvers(request)}` : '';

/** What an approved request that moves no money itself did, in words. */
function doneLine(request: PayoutRequest): string {
  const ref = request.resultRef ? ` (\`${request.resultRef}\`)` : '';
  switch (request.kind) {
    case 'plan':
      return `:white_check_mark: *Done*: ${requestSummary(request)}${approvedBy(request)}`;
    case 'schedule':
      return `:white_check_mark: *Schedule active*${ref}${approvedBy(request)}`;
    case 'resume':
      return `:white_check_mark: *Schedule resumed*${ref}${approvedBy(request)}`;
    case 'unfreeze':
      return `:white_check_mark: *Unfrozen*: ${destinationField(request)}${approvedBy(request)}`;
    case 'override':
      return `:white_check_mark: *Limit overridden*: ${destinationField(request)} goes out today, once${approvedBy(request)}`;
    default:
      return `:white_check_mark: *Done*${ref}${approvedBy(request)}`;
  }
}

function statusLine(request: PayoutRequest): string {
  switch (request.state) {
    case 'pending':
      return request.approvals.length > 0
        ? `:large_yellow_circle: *${request.approvals.length} of ${request.requiredApprovals} approvals* (${approvers(request)}): waiting for another, different approver.${extraReason(request)}`
        : `:large_yellow_circle: *Waiting for approval* (${request.requiredApprovals > 1 ? `needs ${request.requiredApprovals} different approvers` : 'needs 1 approver'}) · expires ${slackDate(request.expiresAt)}${extraReason(request)}`;
    case 'approved':
      return request.kind === 'transfer' && request.heldForFunds
        ? `:raised_hand: *Approved, waiting for funds* (short by ${formatMoney(request.heldForFunds.short)} ${slackDate(request.heldForFunds.since)}): it is paid when the balance covers it.`
        : `:large_green_circle: *Approved* by ${approvers(request)}; queued for payment.`;
    case 'executing':
      if (request.waitingOn?.code === 'payments_frozen') {
        return `:octagonal_sign: *Approved, waiting: payouts are frozen* (${slackDate(request.waitingOn.since)}); it goes out once they are unfrozen.${approvedBy(request)}`;
      }
      if (request.waitingOn?.code === 'daily_limit') {
        return `:raised_hand: *Approved, waiting for the daily limit* (${slackDate(request.waitingOn.since)}); it goes out on the next UTC day, or today if two approvers approve an override.${approvedBy(request)}`;
      }
      return request.attempts > 1
        ? `:hourglass_flowing_sand: *Executing* (attempt ${request.attempts}; Stripe was busy, retrying)…`
        : ':hourglass_flowing_sand: *Executing* at Stripe…';
    case 'completed':
      return request.stripeId ? completedLine(request) : doneLine(request);
    case 'failed':
      return `:x: *Failed*: ${request.failure ? describeRecorded(request.failure) : 'unknown reason'}${approvedBy(request)}`;
    case 'rejected':
      return `:no_entry_sign: *Rejected* by ${mention(request.rejection?.userId ?? 'unknown')}: ${escapeMrkdwn(request.rejection?.reason ?? '')}${approvedBy(request)}`;
    case 'expired':
      return `:hourglass: *Expired* before it was approved; nothing was paid.${request.approvals.length > 0 ? ` It had ${request.approvals.length} of ${request.requiredApprovals} approvals (${approvers(request)}).` : ''}`;
  }
}

function completedLine(request: PayoutRequest): string {
  const id = `\`${request.stripeId}\``;
  if (request.kind === 'transfer') {
    if (request.amountReversed > 0) {
      const how = request.settlement === 'reversed' ? 'reversed' : 'partly reversed';
      return `:leftwards_arrow_with_hook: *Paid, then ${how}*: ${formatMoney({ amount: request.amountReversed, currency: request.money.currency })} of ${formatMoney(request.money)} back (${id}) · approved by ${approvers(request)}`;
    }
    return `:white_check_mark: *Paid* (${id}) · approved by ${approvers(request)}`;
  }
  switch (request.settlement) {
    case 'succeeded':
      return `:white_check_mark: *Top-up settled*: funds are available (${id})${approvedBy(request)}`;
    case 'failed':
    case 'canceled':
    case 'reversed':
      return `:x: *Top-up ${request.settlement}* (${id})${request.failure ? `: ${describeRecorded(request.failure)}` : ''}${approvedBy(request)}`;
    default:
      return `:bank: *Top-up created* (${id}); funds usually arrive within a few business days. Approved by ${approvers(request)}.`;
  }
}

/** The funds a transfer's or a run's card shows. */
const fundsOf = (request: PayoutRequest) =>
  request.kind === 'transfer' || request.kind === 'run' ? request.funds : undefined;

/** What only some kinds show: who gets what, when, the statement descriptor. */
function kindBlocks(request: PayoutRequest): KnownBlock[] {
  switch (request.kind) {
    case 'run':
      return [
        section('*Who gets what*'),
        ...listBlocks(request.run.head, payLine, {
          maxBlocks: 3,
          maxItems: RUN_LINES_SHOWN,
          page: { total: request.run.lineCount, before: 0 },
          moreLabel: RUN_REST[request.run.source],
        }),
      ];
    case 'schedule':
    case 'resume':
      return [section(`*When*\n${request.schedule.time.label}`)];
    case 'topup':
      return request.statementDescriptor
        ? [context(`Statement descriptor: ${escapeMrkdwn(request.statementDescriptor)}`)]
        : [];
    default:
      return [];
  }
}

/** Per currency, how much the request exceeds what is left after payments already approved. */
function shortOf(funds: FundsCheck): Money[] {
  return funds.currencies.flatMap((c) => {
    const left = c.available - c.committed;
    return c.amount > left ? [{ amount: c.amount - Math.max(0, left), currency: c.currency }] : [];
  });
}

/** Available now for each currency the request moves, what approved payments leave, and whether this exceeds it. */
function fundsField(funds: FundsCheck): string {
  const lines = funds.currencies.map((c) => {
    const money = (amount: number) => formatMoney({ amount, currency: c.currency });
    const left = c.available - c.committed;
    const after = c.committed ? `, ${money(left)} after approved payments` : '';
    const verdict =
      c.amount > left ? ` :warning: short by ${money(c.amount - Math.max(0, left))}` : ' :white_check_mark:';
    return `${money(c.available)}${after}${verdict}`;
  });
  return `*Available now* (${asOf(new Date(funds.at))})\n${lines.join('\n')}`;
}

/** "$4,200.00 of $5,000.00 left today": each daily limit this request counts towards. */
function limitsField(limits: LimitLeft[]): string {
  const lines = limits.map(
    (l) =>
      `${formatMoney(l.left)} of ${formatMoney(l.limit)} left today${l.which === 'seller' ? ' (to this seller)' : ''}${l.left.amount === 0 ? ' :warning:' : ''}`,
  );
  return `*Daily limit*\n${lines.join('\n')}`;
}

/**
 * Approve asks first when the request exceeds the balance (it then waits for funds instead of failing) or when this
 * approval is one of two or more (at or above the dual threshold).
 */
export function approveButton(actionId: string, request: PayoutRequest): types.Button {
  const funds = fundsOf(request);
  const short = funds ? shortOf(funds) : [];
  if (short.length > 0) {
    // Funds may be on their way: approving is allowed, but the approver is told first what happens.
    const text = `This request exceeds what is available by ${short.map((m) => formatMoney(m)).join(' and ')}. If approved, it waits for funds instead of failing, and is paid when they arrive.`;
    return confirmed(
      button(actionId, 'Approve anyway', request.id, 'primary'),
      'More than the balance',
      clip(text, LIMITS.sectionText),
      'Approve anyway',
    );
  }
  const approve = button(actionId, 'Approve', request.id, 'primary');
  if (request.requiredApprovals < 2) return approve;
  // An unfreeze of one seller still names them by mention: shown as its user id.
  return confirmed(
    approve,
    'Approve this?',
    `${requestSummary(request, 'plain').replace(/<@(\w+)>/g, '@$1')}: your approval is one of ${request.requiredApprovals}.`,
    'Approve',
  );
}

export function approvalMessage(request: PayoutRequest): SlackMessage {
  // An unfreeze or an override moves no money of its own: it shows what it lets go, and who asked.
  const letsGo =
    request.kind === 'unfreeze'
      ? 'Lets go again'
      : request.kind === 'override'
        ? 'Lets go today, past the daily limit'
        : undefined;
  const funds = fundsOf(request);
  const limitsLeft = request.kind === 'transfer' || request.kind === 'run' ? request.limitsLeft : undefined;
  const facts = letsGo
    ? [
        `*${letsGo}*\n${destinationField(request)}`,
        `*Requested by*\n${mention(request.requestedBy)} ${slackDate(request.requestedAt)}`,
      ]
    : [
        request.totals.length > 1 || request.kind === 'run'
          ? `*Totals*\n${formatTotals(request.totals)}`
          : `*Amount*\n${formatMoney(request.money)}${was(request)}`,
        `*To*\n${destinationField(request)}`,
        `*Requested by*\n${mention(request.requestedBy)} ${slackDate(request.requestedAt)}`,
        funds
          ? fundsField(funds)
          : `*Available now*\n${request.availableAtRequest ? formatMoney(request.availableAtRequest) : 'unknown'}`,
        ...(limitsLeft?.length ? [limitsField(limitsLeft)] : []),
      ];
  const blocks: KnownBlock[] = [header(KIND_TITLES[request.kind]), fields(facts)];
  if (request.description) blocks.push(section(`*Description*\n${escapeMrkdwn(request.description)}`));
  blocks.push(...kindBlocks(request));
  blocks.push(section(statusLine(request)));
  if (request.state === 'pending') {
    blocks.push({
      type: 'actions',
      block_id: `decide_${request.id}`,
      elements: [approveButton(ACTION_IDS.approve, request), button(ACTION_IDS.reject, 'Reject', request.id, 'danger')],
    });
  }
  blocks.push(context(`Request \`${request.id}\``));
  return { text: `${KIND_TITLES[request.kind]}: ${requestSummary(request)} — ${request.state}`, blocks };
}

/** The requester's DM once the request has an outcome. */
export function outcomeDm(request: PayoutRequest, approvalLink?: string): SlackMessage {
  return plain(
    `Your request (${requestSummary(request)}, \`${request.id}\`): ${statusLine(request)}${approvalLink ? `\n<${approvalLink}|See the approval message>` : ''}`,
  );
}

/** A top-up's settlement, for the ops channel. */
export function settlementNotice(request: PayoutRequest): SlackMessage {
  return plain(`${statusLine(request)}\n${requestSummary(request)} · request \`${request.id}\``);
}

/**
 * In the approval message's thread, before the request expires: the approvers who may still decide it (not the
 * requester, not who already approved), by name or user group.
 */
export function reminderMessage(
  request: PayoutRequest,
  approvers: readonly string[],
  point: ReminderPoint,
): SlackMessage {
  const decided = new Set([request.requestedBy, ...request.approvals.map((a) => a.userId)]);
  const who = approvers
    .filter((id) => !decided.has(id))
    .map(mentionPrincipal)
    .join(' ');
  const when = point === 'halfway' ? 'Halfway to expiry' : 'Expiring soon';
  return plain(
    `:alarm_clock: *${when}*: ${who} ${requestSummary(request)} still waits for a decision; it expires ${slackDate(request.expiresAt)}, and after that it has to be asked for again.`,
  );
}
