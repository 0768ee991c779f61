import type { types } from '@slack/bolt';
import type { Freeze, LimitHold } from '../../domain/controls.types.js';
import { formatMoney, type Money } from '../../domain/money.js';
import type { Schedule } from '../../domain/payouts.types.js';
import type { ReconcileResult } from '../../domain/reconcile.types.js';
import type { PayoutRequest } from '../../domain/requests.types.js';
import { ACTION_IDS } from '../ids.js';
import { mention, slackDate } from '../mrkdwn.js';
import { button, context, divider, header, type KnownBlock, type SlackMessage, section } from './common.js';
import { freezeAllButton, freezeLine, limitHoldRow } from './controls.js';
import { LIMITS } from './limits.js';
import { listBlocks } from './list.js';
import { scheduleWhat } from './payouts.js';
import { summaryLine } from './reconcile.js';
import { approveButton, requestSummary } from './requests.js';

/** What one person's Home tab shows; the parts they have no role for are absent. */
export interface HomeData {
  userId: string;
  /** Approvers: what waits for their decision, and the state of the money. */
  approver?: {
    waiting: PayoutRequest[];
    /** Payments a daily limit holds (the first HELD_ON_HOME of `total`), each with its seller's user id when known. */
    held: { holds: { hold: LimitHold; payee: string | undefined }[]; total: number };
    freezes: Freeze[];
    balances: Money[] | undefined;
    schedules: { schedule: Schedule; next: Date | undefined }[];
    reconcile: ReconcileResult | undefined;
  };
  /** Requesters: their own requests not yet final. */
  mine?: PayoutRequest[];
}

/**
 * Each part's share of the 100 blocks a Home tab may hold, so the view fits whatever the data: every list is cut
 * by listBlocks within its share, with "…and N more". With 4 headers, 2 dividers, the freeze button, balances and the reconcile line: 89.
 */
const HOME_BUDGET = { waiting: 32, held: 8, freezes: 6, schedules: 12, mine: 22 } as const;
/** How many held payments to read for the Home tab: one block each, so no more than fit. */
export const HELD_ON_HOME = HOME_BUDGET.held;

function waitingRow(request: PayoutRequest): KnownBlock[] {
  const approvals =
    request.approvals.length > 0 ? ` · ${request.approvals.length} of ${request.requiredApprovals} approvals` : '';
  return [
    section(
      `*${requestSummary(request)}*\nasked by ${mention(request.requestedBy)} ${slackDate(request.requestedAt)}${approvals} · expires ${slackDate(request.expiresAt)} · \`${request.id}\``,
    ),
    {
      type: 'actions',
      block_id: `waiting_${request.id}`,
      elements: [
        approveButton(ACTION_IDS.waitingApprove, request),
        button(ACTION_IDS.waitingReject, 'Reject', request.id, 'danger'),
      ],
    },
  ];
}

/** "Waiting for you": the same list on the Home tab and as `/payout pending`'s reply. */
export function waitingBlocks(waiting: PayoutRequest[], maxBlocks: number): KnownBlock[] {
  if (waiting.length === 0) return [section(':white_check_mark: Nothing waits for your decision.')];
  return listBlocks(waiting, waitingRow, { maxBlocks, moreLabel: 'The rest are in the approvals channel.' });
}

export function pendingMessage(waiting: PayoutRequest[]): SlackMessage {
  return {
    text: `${waiting.length} waiting for you`,
    blocks: [header('Waiting for you'), ...waitingBlocks(waiting, LIMITS.messageBlocks - 1)],
  };
}

const STATE_WORDS: Record<PayoutRequest['state'], string> = {
  pending: ':large_yellow_circle: waiting for approval',
  approved: ':large_green_circle: approved, queued',
  executing: ':hourglass_flowing_sand: being paid',
  completed: ':white_check_mark: done',
  failed: ':x: failed',
  rejected: ':no_entry_sign: rejected',
  expired: ':hourglass: expired',
};

function approverBlocks(data: NonNullable<HomeData['approver']>): KnownBlock[] {
  const blocks: KnownBlock[] = [header('Waiting for you'), ...waitingBlocks(data.waiting, HOME_BUDGET.waiting)];
  if (data.held.total > 0) {
    blocks.push(
      header('Held by a daily limit'),
      ...listBlocks(data.held.holds, ({ hold, payee }) => [limitHoldRow(hold, payee)], {
        maxBlocks: HOME_BUDGET.held,
        moreLabel: 'Their notices are in the ops channel.',
        page: { total: data.held.total, before: 0 },
      }),
    );
  }
  blocks.push(divider, header('Payouts now'));
  blocks.push(
    ...(data.freezes.length
      ? listBlocks(data.freezes, freezeLine, {
          maxBlocks: HOME_BUDGET.freezes,
          moreLabel: '`/payout freeze` lists them all.',
        })
      : [section(':large_green_circle: Nothing is frozen.')]),
  );
  if (!data.freezes.some((f) => f.scope.kind === 'all'))
    blocks.push({ type: 'actions', block_id: 'home_freeze', elements: [freezeAllButton()] });
  blocks.push(
    section(
      `*Available*: ${data.balances ? data.balances.map((b) => formatMoney(b)).join(' · ') || 'nothing' : 'Stripe did not answer just now'}`,
    ),
  );
  const active = data.schedules
    .filter((s) => s.schedule.status === 'active')
    .sort((a, b) => (a.next?.getTime() ?? Number.POSITIVE_INFINITY) - (b.next?.getTime() ?? Number.POSITIVE_INFINITY));
  blocks.push(
    ...(active.length
      ? listBlocks(
          active,
          ({ schedule, next }) =>
            `*${scheduleWhat(schedule)}* · ${next ? `next ${slackDate(next.toISOString())}` : 'no next run'}`,
          { maxBlocks: HOME_BUDGET.schedules, moreLabel: '`/payout schedules` lists them all.' },
        )
      : [section('No active schedules.')]),
  );
  blocks.push(
    context(
      data.reconcile
        ? `Last reconcile ${slackDate(data.reconcile.finishedAt)}: ${summaryLine(data.reconcile)}`
        : 'No reconcile yet: `/payout reconcile` compares our records with Stripe.',
    ),
  );
  return blocks;
}

/** What waits on funds, a freeze or a daily limit says so, rather than "queued" or "being paid". */
function stateWords(request: PayoutRequest): string {
  if (request.state === 'approved' && request.kind === 'transfer' && request.heldForFunds)
    return `:raised_hand: waiting for funds (short by ${formatMoney(request.heldForFunds.short)})`;
  if (request.state === 'executing' && request.waitingOn)
    return request.waitingOn.code === 'payments_frozen'
      ? ':octagonal_sign: waiting: payouts are frozen'
      : ':raised_hand: waiting for the daily limit';
  return STATE_WORDS[request.state];
}

function mineBlocks(mine: PayoutRequest[]): KnownBlock[] {
  const rows = mine.length
    ? listBlocks(mine, (r) => `${stateWords(r)} · ${requestSummary(r)} · \`${r.id}\``, {
        maxBlocks: HOME_BUDGET.mine,
        moreLabel: 'Older ones are in the approvals channel.',
      })
    : [section('Nothing of yours is open. `/payout help` lists what you can ask for.')];
  return [header('My requests'), ...rows];
}

/** The Home tab: at most 89 blocks (Slack allows 100), whatever the data. */
export function homeView(data: HomeData): types.HomeView {
  const blocks: KnownBlock[] = [];
  if (data.approver) blocks.push(...approverBlocks(data.approver));
  if (data.mine) blocks.push(...(blocks.length ? [divider] : []), ...mineBlocks(data.mine));
  if (!data.approver && !data.mine)
    blocks.push(
      section(
        'Payout Ops pays sellers after approval. Ask your finance lead to add you as a requester or an approver.',
      ),
    );
  return { type: 'home', blocks };
}
