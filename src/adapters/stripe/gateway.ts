import type Stripe from 'stripe';
import type { PaymentsGateway } from '../../domain/ports.js';
import type { AccountSnapshot } from '../../domain/sellers.types.js';
import { callStripe } from './errors.js';

export function toAccountSnapshot(account: Stripe.Account): AccountSnapshot {
  const transfers: string | undefined = account.capabilities?.transfers;
  return {
    id: account.id,
    country: account.country ?? '',
    email: account.email ?? null,
    detailsSubmitted: account.details_submitted ?? false,
    transfersCapability: transfers === 'active' || transfers === 'pending' || transfers === 'inactive' ? transfers : 'unrequested',
    payoutsEnabled: account.payouts_enabled ?? false,
    currentlyDue: account.requirements?.currently_due ?? [],
    disabledReason: account.requirements?.disabled_reason ?? null,
    livemode: (account as { livemode?: boolean }).livemode ?? false,
  };
}

export function createStripeGateway(stripe: Stripe): PaymentsGateway {
  let platform: Promise<{ id: string; country: string; defaultCurrency: string }> | undefined;
  return {
    platformAccount() {
      // The platform's country and currency do not change while we run.
      platform ??= callStripe('read the platform account', () => stripe.accounts.retrieveCurrent()).then(
        (a) => ({ id: a.id, country: a.country ?? 'US', defaultCurrency: a.default_currency ?? 'usd' }),
        (error: unknown) => {
          platform = undefined;
          throw error;
        },
      );
      return platform;
    },

    async createExpressAccount(input, idempotencyKey) {
      const account = await callStripe('create the seller account', () =>
        stripe.accounts.create(
          {
            type: 'express',
            country: input.country,
            ...(input.email ? { email: input.email } : {}),
            capabilities: { transfers: { requested: true } },
            ...(input.recipientAgreement ? { tos_acceptance: { service_agreement: 'recipient' } } : {}),
            metadata: input.metadata,
          },
          { idempotencyKey },
        ),
      );
      return toAccountSnapshot(account);
    },

    async retrieveAccount(accountId) {
      return toAccountSnapshot(await callStripe('read the seller account', () => stripe.accounts.retrieve(accountId)));
    },

    async createOnboardingLink({ accountId, refreshUrl, returnUrl }) {
      const link = await callStripe('create an onboarding link', () =>
        stripe.accountLinks.create({ account: accountId, refresh_url: refreshUrl, return_url: returnUrl, type: 'account_onboarding' }),
      );
      return { url: link.url, expiresAt: new Date(link.expires_at * 1000) };
    },

    async availableBalance() {
      const balance = await callStripe('read the balance', () => stripe.balance.retrieve());
      return balance.available.map((b) => ({ amount: b.amount, currency: b.currency }));
    },
  };
}
