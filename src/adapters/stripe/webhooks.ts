import Stripe from 'stripe';
import { z } from 'zod';

/**
 * What every Stripe event has and the webhook route reads before it looks at the object; anything else signed with
 * our secret is not an event. An event without a usable object is one (toStripeEventJob acknowledges and ignores it).
 */
const eventShape = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  livemode: z.boolean(),
  account: z.string().optional(),
});

export type Verified = { event: Stripe.Event } | { refused: 'signature' | 'not_an_event' };

/**
 * Verifies a Stripe-Signature against each configured endpoint secret (platform and Connect endpoints each have one).
 * Refuses a body no secret signs or older than Stripe's 5-minute tolerance (`signature`), and a signed body that is
 * not an event (not JSON, or JSON of another shape): the route answers 400 to each, saying which.
 */
export function createWebhookVerifier(stripe: Stripe, secrets: readonly string[]) {
  return (rawBody: string, signatureHeader: string | undefined): Verified => {
    if (!signatureHeader) return { refused: 'signature' };
    // The SDK reports an empty payload as a signature failure; it is simply not an event.
    if (rawBody.trim() === '') return { refused: 'not_an_event' };
    for (const secret of secrets) {
      let event: unknown;
      try {
        event = stripe.webhooks.constructEvent(rawBody, signatureHeader, secret);
      } catch (error) {
        if (error instanceof Stripe.errors.StripeSignatureVerificationError) continue;
        return { refused: 'not_an_event' }; // signed, then JSON.parse threw
      }
      return eventShape.safeParse(event).success ? { event: event as Stripe.Event } : { refused: 'not_an_event' };
    }
    return { refused: 'signature' };
  };
}

export type WebhookVerifier = ReturnType<typeof createWebhookVerifier>;
