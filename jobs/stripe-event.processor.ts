import { z } from 'zod';
import type { AppDeps } from '../src/deps.js';

export const HANDLED_STRIPE_EVENTS = new Set(['account.updated']);

const jobData = z.object({
  eventId: z.string().startsWith('evt_'),
  type: z.string(),
  accountId: z.string().startsWith('acct_').nullable(),
  requestId: z.string(),
});

/** Handles one verified Stripe event. Re-running it is harmless: state is read fresh from Stripe and notices go out on transitions only. */
export async function processStripeEvent(data: unknown, deps: Pick<AppDeps, 'sellers' | 'logger'>): Promise<string> {
  const job = jobData.parse(data);
  const log = deps.logger.child({ requestId: job.requestId, eventId: job.eventId, type: job.type });
  switch (job.type) {
    case 'account.updated': {
      // The platform's own account.updated carries no `account`: not a seller.
      if (!job.accountId) return 'ignored: platform account';
      const result = await deps.sellers.syncAccount(job.accountId);
      log.info({ event: 'seller.synced', accountId: job.accountId, state: result?.seller.state, outcome: result?.outcome }, 'seller account updated');
      return result ? result.outcome : 'ignored: unknown account';
    }
    default:
      return 'ignored';
  }
}
