import type { CustomRoute } from '@slack/bolt';
import { stripeEventJobId } from '../../jobs/stripe-event.job.js';
import { FUNDING_EVENTS, toStripeEventJob } from '../adapters/stripe/events.js';
import type { AppDeps } from '../deps.js';
import { newTraceId } from '../logger.js';
import { BodyTooLargeError, readBody, sendJson } from './respond.js';

/**
 * POST /stripe/webhooks: verify, then queue and answer at once (Stripe wants a fast 2xx).
 * The job id is the event id, so a redelivered event is acknowledged and not handled twice.
 */
export function stripeWebhookRoute(deps: AppDeps): CustomRoute {
  return {
    path: '/stripe/webhooks',
    method: 'POST',
    handler: async (req, res) => {
      const traceId = newTraceId();
      const log = deps.logger.child({ traceId, route: 'stripe.webhook' });
      let raw: string;
      try {
        raw = await readBody(req);
      } catch (error) {
        // The rest of an oversized body is never read: close the connection rather than leave it to the next request.
        if (error instanceof BodyTooLargeError) res.setHeader('connection', 'close');
        return sendJson(res, error instanceof BodyTooLargeError ? 413 : 400, { error: 'could not read the body' });
      }
      const header = req.headers['stripe-signature'];
      const verified = deps.verifyWebhook(raw, Array.isArray(header) ? header[0] : header);
      if ('refused' in verified) {
        const signature = verified.refused === 'signature';
        log.warn(
          { event: signature ? 'webhook.bad_signature' : 'webhook.not_an_event' },
          signature
            ? 'rejected a webhook with a bad or stale signature'
            : 'rejected a signed body that is not a Stripe event',
        );
        return sendJson(res, 400, {
          error: signature ? 'invalid or expired Stripe-Signature' : 'the signed body is not a Stripe event',
        });
      }
      const { event } = verified;
      const base = { eventId: event.id, type: event.type, account: event.account };
      // A Connect endpoint in production also receives test-mode events: acknowledge, do nothing.
      if (event.livemode !== deps.config.stripeLivemode) {
        log.info({ ...base, event: 'webhook.ignored_mode' }, 'ignored an event from the other mode');
        return sendJson(res, 200, { received: true, ignored: 'livemode' });
      }
      // Money arriving or not arriving changes the forecast, whoever made the top-up.
      if (FUNDING_EVENTS.has(event.type)) await deps.fundingChecks.request();
      const mapped = toStripeEventJob(event, traceId);
      if ('ignored' in mapped) {
        log.info(
          { ...base, event: 'webhook.ignored', reason: mapped.ignored },
          'acknowledged an event the bot does not act on',
        );
        return sendJson(res, 200, { received: true, ignored: mapped.ignored });
      }
      const { job } = mapped;
      try {
        await deps.queues.stripeEvents.add(event.type, job, { jobId: stripeEventJobId(job) });
      } catch (error) {
        // Stripe retries a non-2xx: nothing is lost while Redis is down.
        log.error({ ...base, err: error, event: 'webhook.enqueue_failed' }, 'could not queue the event');
        return sendJson(res, 503, { error: 'try again later' });
      }
      log.info(
        { ...base, ...(job.payoutRef ? { payoutRef: job.payoutRef } : {}), event: 'webhook.queued' },
        'stripe event queued',
      );
      sendJson(res, 200, { received: true });
    },
  };
}
