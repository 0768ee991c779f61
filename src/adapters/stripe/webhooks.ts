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

/**
 * Verifies a Stripe-Signature against each configured endpoint secret (platform and Connect endpoints each have one).
 * Returns the event, or undefined when no secret signs it, it is older than Stripe's 5-minute tolerance, or the signed
 * body is not an event (not JSON, or JSON of another shape): the route answers 400 to each.
 */
export function createWebhookVerifier(stripe: Stripe, secrets: readonly string[]) {
  return (rawBody: string, signatureHeader: string | undefined): Stripe.Event | undefined => {
    if (!signatureHeader) return undefined;
    for (const secret of secrets) {
      let event: unknown;
      try {
        event = stripe.webhooks.constructEvent(rawBody, signatureHeader, secret);
      } catch (error) {
        if (error instanceof Stripe.errors.StripeSignatureVerificationError) continue;
        return undefined; // signed, then JSON.parse threw: not an event
      }
      return eventShape.safeParse(event).success ? (event as Stripe.Event) : undefined;
    }
    return undefined;
  };
}

export type WebhookVerifier = ReturnType<typeof createWebhookVerifier>;
