import type { CustomRoute } from '@slack/bolt';
import type Stripe from 'stripe';
import type { AppDeps } from '../deps.js';
import type { StripeEventJob } from '../adapters/queue/queues.js';
import { newId } from '../domain/ids.js';
import { HANDLED_STRIPE_EVENTS } from '../../jobs/stripe-event.processor.js';
import { BodyTooLargeError, readBody, sendJson } from './respond.js';

/** Only ids go into the job: the processor reads current state itself. */
function toJob(event: Stripe.Event, requestId: string): StripeEventJob {
  const object = event.data.object as { id?: string; metadata?: Record<string, string> | null; failure_message?: string | null };
  return {
    eventId: event.id,
    type: event.type,
    accountId: event.account ?? null,
    payoutRequestId: object.metadata?.payout_request_id ?? null,
    objectId: object.id ?? null,
    failureMessage: object.failure_message ?? null,
    requestId,
  };
}

/**
 * POST /stripe/webhooks: verify, then queue and answer at once (Stripe wants a fast 2xx).
 * The job id is the event id, so a redelivered event is acknowledged and not handled twice.
 */
export function stripeWebhookRoute(deps: AppDeps): CustomRoute {
  return {
    path: '/stripe/webhooks',
    method: 'POST',
    handler: async (req, res) => {
      const requestId = newId('req');
      const log = deps.logger.child({ requestId, route: 'stripe.webhook' });
      let raw: string;
      try {
        raw = await readBody(req);
      } catch (error) {
        return sendJson(res, error instanceof BodyTooLargeError ? 413 : 400, { error: 'could not read the body' });
      }
      const header = req.headers['stripe-signature'];
      const event = deps.verifyWebhook(raw, Array.isArray(header) ? header[0] : header);
      if (!event) {
        log.warn({ event: 'webhook.bad_signature' }, 'rejected a webhook with a bad or stale signature');
        return sendJson(res, 400, { error: 'invalid or expired Stripe-Signature' });
      }
      const base = { eventId: event.id, type: event.type, account: event.account };
      // A Connect endpoint in production also receives test-mode events: acknowledge, do nothing.
      if (event.livemode !== deps.config.stripeLivemode) {
        log.info({ ...base, event: 'webhook.ignored_mode' }, 'ignored an event from the other mode');
        return sendJson(res, 200, { received: true, ignored: 'livemode' });
      }
      if (!HANDLED_STRIPE_EVENTS.has(event.type)) {
        log.debug({ ...base, event: 'webhook.ignored_type' }, 'ignored an event type we do not handle');
        return sendJson(res, 200, { received: true, ignored: 'type' });
      }
      try {
        await deps.queues.stripeEvents.add(event.type, toJob(event, requestId), { jobId: event.id });
      } catch (error) {
        // Stripe retries a non-2xx: nothing is lost while Redis is down.
        log.error({ ...base, err: error, event: 'webhook.enqueue_failed' }, 'could not queue the event');
        return sendJson(res, 503, { error: 'try again later' });
      }
      log.info({ ...base, event: 'webhook.queued' }, 'stripe event queued');
      sendJson(res, 200, { received: true });
    },
  };
}
