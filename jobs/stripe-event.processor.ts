import { z } from 'zod';
import type { AppDeps } from '../src/deps.js';
import type { PayoutRequest } from '../src/domain/requests.types.js';

const SETTLEMENTS: Record<string, NonNullable<PayoutRequest['settlement']>> = {
  'topup.succeeded': 'succeeded',
  'topup.failed': 'failed',
  'topup.canceled': 'canceled',
  'topup.reversed': 'reversed',
  'transfer.reversed': 'reversed',
};

export const HANDLED_STRIPE_EVENTS = new Set(['account.updated', ...Object.keys(SETTLEMENTS)]);

const jobData = z.object({
  eventId: z.string().startsWith('evt_'),
  type: z.string(),
  accountId: z.string().startsWith('acct_').nullable(),
  payoutRequestId: z.string().nullable(),
  objectId: z.string().nullable(),
  failureMessage: z.string().nullable(),
  requestId: z.string(),
});

/**
 * Handles one verified Stripe event. Running it twice is harmless: seller state is read fresh from Stripe
 * and notices go out on transitions only; a settlement already recorded changes nothing.
 */
export async function processStripeEvent(data: unknown, deps: Pick<AppDeps, 'sellers' | 'execution' | 'schedules' | 'logger'>): Promise<string> {
  const job = jobData.parse(data);
  const log = deps.logger.child({ requestId: job.requestId, eventId: job.eventId, type: job.type });
  if (job.type === 'account.updated') {
    // The platform's own account.updated carries no `account`: not a seller.
    if (!job.accountId) return 'ignored: platform account';
    const result = await deps.sellers.syncAccount(job.accountId);
    log.info({ event: 'seller.synced', accountId: job.accountId, state: result?.seller.state, outcome: result?.outcome }, 'seller account updated');
    return result ? result.outcome : 'ignored: unknown account';
  }
  const settlement = SETTLEMENTS[job.type];
  if (!settlement || !job.payoutRequestId || !job.objectId) return 'ignored: not one of ours';
  // Scheduled top-ups carry their period key (which starts with the schedule id) instead of a request id.
  if (job.type.startsWith('topup.') && job.payoutRequestId.startsWith('sch_')) {
    const told = await deps.schedules.topupSettled(job.payoutRequestId, job.objectId, settlement, job.failureMessage);
    log.info({ event: 'schedule.topup_settled', periodKey: job.payoutRequestId, stripeId: job.objectId, settlement, told }, 'scheduled top-up settled');
    return told ? settlement : 'unchanged';
  }
  const changed = await deps.execution.settle(job.payoutRequestId, job.objectId, settlement, job.failureMessage ?? undefined);
  log.info({ event: 'request.settled', payoutRequestId: job.payoutRequestId, stripeId: job.objectId, settlement, changed }, 'settlement recorded');
  return changed ? settlement : 'unchanged';
}
