import type { PaymentRef } from '../../domain/payments.types.js';
import type { ControlNotifier } from '../../domain/ports.js';
import type { Logger } from '../../logger.js';
import { freezeNotice, limitNotice, unfreezeNotice } from '../../slack/blocks/controls.js';
import { bestEffort, type Messenger } from './messenger.js';

/**
 * Freezes and unfreezes go to ops and approvals (approvers decide what waits); a payment held by a daily limit is
 * told once, to ops and to whoever asked for it (`claimOnce` across workers and wake-ups), and listed on approvers' Home tabs.
 */
export function createControlNotifier(deps: {
  messenger: Messenger;
  channels: { ops: string; approvals: string };
  requesterOf: (ref: PaymentRef) => Promise<string | null>;
  claimOnce: (scope: string, id: string) => Promise<boolean>;
  /** Approvers' Home tabs list held payments: refreshed when one is newly held. */
  homesChanged: () => Promise<void>;
  logger: Logger;
}): ControlNotifier {
  const { messenger, channels } = deps;
  const tryTo = (what: string, send: () => Promise<unknown>) => bestEffort(deps.logger, what, send);
  const both = async (what: string, message: Parameters<Messenger['post']>[1]) => {
    await tryTo(`${what}-ops`, () => messenger.post(channels.ops, message));
    await tryTo(`${what}-approvals`, () => messenger.post(channels.approvals, message));
  };
  return {
    frozen: (freeze) => both('frozen', freezeNotice(freeze)),
    unfrozen: (freeze, by) => both('unfrozen', unfreezeNotice(freeze, by)),
    async limitReached(event) {
      if (event.instruction.action !== 'transfer' || !(await deps.claimOnce('limit-notice', event.payoutRef))) return;
      const facts = { ...event, money: event.instruction.money, accountId: event.instruction.destinationAccountId };
      await tryTo('limit-ops', () => messenger.post(channels.ops, limitNotice(facts, { offerOverride: true })));
      const requester = await deps.requesterOf(event.ref).catch(() => null);
      if (requester)
        await tryTo('limit-dm', () => messenger.dm(requester, limitNotice(facts, { offerOverride: false })));
      await tryTo('limit-homes', deps.homesChanged);
    },
  };
}
