import { requestRef } from '../../domain/payments.js';
import type { RequestNotifier } from '../../domain/ports.js';
import type { ReminderPoint } from '../../domain/reminders.js';
import type { PayoutRequest } from '../../domain/requests.types.js';
import type { Logger } from '../../logger.js';
import { approvalMessage, outcomeDm, reminderMessage, settlementNotice } from '../../slack/blocks/requests.js';
import { bestEffort, type Messenger } from './messenger.js';

/**
 * The approval message is updated in place at every step; the requester gets a DM with the outcome.
 * Only posting the request itself may fail the caller: after that, Redis holds the truth and a lost
 * update is logged rather than allowed to stop a payment.
 */
export function createRequestNotifier(
  messenger: Messenger,
  channels: { approvals: string; ops: string },
  logger: Logger,
): RequestNotifier {
  const tryTo = (what: string, request: PayoutRequest, send: () => Promise<unknown>) =>
    bestEffort(logger, what, send, { payoutRef: requestRef(request.id) });
  const update = (request: PayoutRequest) =>
    tryTo('update', request, async () => {
      if (request.message)
        await messenger.update(request.message.channel, request.message.ts, approvalMessage(request));
    });
  // The DM links to the approval message, where the whole story is; without the link when Slack gives none.
  const dmOutcome = (request: PayoutRequest) =>
    tryTo('dm', request, async () => {
      const link = request.message
        ? await messenger.permalink(request.message.channel, request.message.ts).catch(() => undefined)
        : undefined;
      await messenger.dm(request.requestedBy, outcomeDm(request, link));
    });
  return {
    posted: (request) => messenger.post(channels.approvals, approvalMessage(request)),
    changed: update,
    async finished(request) {
      // An approved run owns its message from here on: its progress view replaces the request.
      if (request.kind === 'run' && request.state === 'completed') return;
      await update(request);
      await dmOutcome(request);
      if (request.kind === 'topup' && request.state === 'completed')
        await tryTo('ops', request, () => messenger.post(channels.ops, settlementNotice(request)));
    },
    async settled(request) {
      await update(request);
      await tryTo('ops', request, () => messenger.post(channels.ops, settlementNotice(request)));
      if (request.settlement !== 'succeeded') await dmOutcome(request);
    },
  };
}

/** A reminder is a reply in the approval message's thread (Slack's reminders API is retired). */
export function threadReminder(messenger: Messenger, approvers: readonly string[]) {
  return async (request: PayoutRequest, point: ReminderPoint): Promise<void> => {
    if (request.message)
      await messenger.post(request.message.channel, reminderMessage(request, approvers, point), request.message.ts);
  };
}
