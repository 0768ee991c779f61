import type { Job as BullJob } from 'bullmq';
import { SELLER_EVENTS } from '../src/adapters/stripe/events.js';
import type { AppDeps } from '../src/deps.js';
import { parsePaymentRef } from '../src/domain/payments.js';
import { parseJobData } from './job-failure.js';
import { stripeEventJob } from './stripe-event.job.js';

/**
 * Handles one verified Stripe event. Running it twice, or out of order, is harmless: the seller's account and the
 * payment's top-up or transfer are read back from Stripe, and notices go out only when our records change.
 */
export async function processStripeEvent(
  bullJob: Pick<BullJob, 'queueName' | 'data'>,
  deps: Pick<AppDeps, 'sellers' | 'settle' | 'logger'>,
): Promise<string> {
  const job = parseJobData(bullJob, stripeEventJob);
  const log = deps.logger.child({ traceId: job.traceId, eventId: job.eventId, type: job.type });
  if (job.type === 'account.updated') {
    // The platform's own account.updated carries no `account`: not a seller.
    if (!job.accountId) return 'ignored: platform account';
    const result = await deps.sellers.syncAccount(job.accountId);
    log.info(
      { event: 'seller.synced', accountId: job.accountId, state: result?.seller.state, outcome: result?.outcome },
      'seller account updated',
    );
    return result ? result.outcome : 'ignored: unknown account';
  }
  if (SELLER_EVENTS.has(job.type)) {
    const accountId = job.accountId!;
    const outcome = job.type.startsWith('payout.')
      ? await deps.sellers.payoutChanged(accountId, job.objectId)
      : job.type === 'account.application.deauthorized'
        ? await deps.sellers.disconnected(accountId)
        : await deps.sellers.bankAccountChanged(accountId, job.type.slice('account.external_account.'.length));
    log.info({ event: 'seller.event', accountId, objectId: job.objectId, outcome }, 'seller event handled');
    return outcome;
  }
  const ref = parsePaymentRef(job.payoutRef);
  if (!ref) return 'ignored: not one of ours';
  const object = job.type.startsWith('topup.') ? 'topup' : 'transfer';
  const changed = await deps.settle(ref, { object, id: job.objectId });
  log.info(
    { event: 'payment.settled', payoutRef: job.payoutRef, stripeId: job.objectId, changed },
    changed ? 'settlement recorded' : 'settlement unchanged',
  );
  return changed ? 'settled' : 'unchanged';
}
