import type { ClickResult } from '../../domain/requests.js';
import { MONEY_MOVING_KINDS } from '../../domain/requests.types.js';
import { describeError } from '../messages.js';

const CLICK_REPLIES: Partial<Record<ClickResult['outcome'], (r: ClickResult) => string>> = {
  approved: (r) =>
    r.request && MONEY_MOVING_KINDS.has(r.request.kind)
      ? ':white_check_mark: Approved. The payment is queued; the approval message will show its progress.'
      : ':white_check_mark: Approved. It takes effect now; the approval message shows when it is done.',
  awaiting_second: (r) =>
    `:white_check_mark: Your approval is recorded (${r.request?.approvals.length ?? 1} of ${r.request?.requiredApprovals ?? 2}). Another, different approver is needed.`,
  rejected: () => ':no_entry_sign: Rejected. The requester has been told why.',
};

/** What the person who clicked Approve or Reject (or submitted a rejection) is told. */
export const clickReply = (result: ClickResult): string =>
  'refusal' in result
    ? `:information_source: ${describeError(result.refusal)}`
    : (CLICK_REPLIES[result.outcome]?.(result) ?? '');
