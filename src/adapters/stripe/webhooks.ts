import Stripe from 'stripe';

/**
 * Verifies a Stripe-Signature against each configured endpoint secret (platform and Connect endpoints each have one).
 * Returns the event, or undefined when no secret signs it or it is older than Stripe's 5-minute tolerance.
 */
export function createWebhookVerifier(stripe: Stripe, secrets: readonly string[]) {
  return (rawBody: string, signatureHeader: string | undefined): Stripe.Event | undefined => {
    if (!signatureHeader) return undefined;
    for (const secret of secrets) {
      try {
        return stripe.webhooks.constructEvent(rawBody, signatureHeader, secret);
      } catch (error) {
        if (!(error instanceof Stripe.errors.StripeSignatureVerificationError)) throw error;
      }
    }
    return undefined;
  };
}

export type WebhookVerifier = ReturnType<typeof createWebhookVerifier>;
