import type Stripe from 'stripe';
import type { FundingGateway, FundsInFlight, MoneyGateway, PaymentsGateway } from '../../domain/ports.js';
import type { AccountSnapshot } from '../../domain/sellers.types.js';
import { callStripe } from './errors.js';

export function toAccountSnapshot(account: Stripe.Account): AccountSnapshot {
  const transfers: string | undefined = account.capabilities?.transfers;
  return {
    id: account.id,
    country: account.country ?? '',
    email: account.email ?? null,
    detailsSubmitted: account.details_submitted ?? false,
    transfersCapability:
      transfers === 'active' || transfers === 'pending' || transfers === 'inactive' ? transfers : 'unrequested',
    payoutsEnabled: account.payouts_enabled ?? false,
    currentlyDue: account.requirements?.currently_due ?? [],
    disabledReason: account.requirements?.disabled_reason ?? null,
  };
}

/** Funds stay pending for days, rarely weeks: older balance transactions are settled and not read. */
const PENDING_LOOKBACK_SECONDS = 45 * 86_400;

const TOPUP_STATUSES = ['pending', 'succeeded', 'failed', 'canceled', 'reversed'] as const;
const PAYOUT_STATUSES = ['pending', 'in_transit', 'paid', 'failed', 'canceled'] as const;

export function createStripeGateway(stripe: Stripe): PaymentsGateway & MoneyGateway & FundingGateway {
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
        stripe.accountLinks.create({
          account: accountId,
          refresh_url: refreshUrl,
          return_url: returnUrl,
          type: 'account_onboarding',
        }),
      );
      return { url: link.url, expiresAt: new Date(link.expires_at * 1000) };
    },

    async createLoginLink(accountId) {
      return (await callStripe('open the Express Dashboard', () => stripe.accounts.createLoginLink(accountId))).url;
    },

    async readPayout(accountId, payoutId) {
      const payout = await callStripe("read the seller's payout", () =>
        stripe.payouts.retrieve(payoutId, {}, { stripeAccount: accountId }),
      );
      const status = PAYOUT_STATUSES.find((known) => known === payout.status) ?? 'pending';
      return {
        id: payout.id,
        amount: payout.amount,
        currency: payout.currency,
        status,
        failureCode: payout.failure_code ?? null,
        failureMessage: payout.failure_message ?? null,
        arrivalDate: new Date(payout.arrival_date * 1000).toISOString(),
        created: new Date(payout.created * 1000).toISOString(),
      };
    },

    async balance() {
      const balance = await callStripe('read the balance', () => stripe.balance.retrieve());
      const toMoney = (b: { amount: number; currency: string }) => ({ amount: b.amount, currency: b.currency });
      return { available: balance.available.map(toMoney), pending: balance.pending.map(toMoney) };
    },

    async createTransfer({ money, destinationAccountId, description }, tags) {
      const transfer = await callStripe('create the transfer', () =>
        stripe.transfers.create(
          {
            amount: money.amount,
            currency: money.currency,
            destination: destinationAccountId,
            ...(description ? { description } : {}),
            transfer_group: tags.transferGroup,
            metadata: tags.metadata,
          },
          { idempotencyKey: tags.idempotencyKey },
        ),
      );
      return written(transfer);
    },

    async createTopup({ money, description, statementDescriptor }, tags) {
      const topup = await callStripe('create the top-up', () =>
        stripe.topups.create(
          {
            amount: money.amount,
            currency: money.currency,
            ...(description ? { description } : {}),
            ...(statementDescriptor ? { statement_descriptor: statementDescriptor } : {}),
            transfer_group: tags.transferGroup,
            metadata: tags.metadata,
          },
          { idempotencyKey: tags.idempotencyKey },
        ),
      );
      return written(topup);
    },

    async findCreated(action, tags, createdSince) {
      if (action === 'transfer') {
        const page = await callStripe('look for an earlier transfer', () =>
          stripe.transfers.list({ transfer_group: tags.transferGroup, limit: 1 }),
        );
        return page.data[0] ? { id: page.data[0].id, requestId: page.lastResponse.requestId } : undefined;
      }
      // Top-ups cannot be filtered by group or metadata: page through those created since the first attempt.
      const created = { gte: Math.floor(createdSince.getTime() / 1000) };
      return callStripe('look for an earlier top-up', async () => {
        for await (const topup of stripe.topups.list({ created, limit: 100 })) {
          if (topup.metadata?.payout_ref === tags.metadata.payout_ref) return { id: topup.id, requestId: null };
        }
        return undefined;
      });
    },

    async fundsInFlight() {
      const since = { gte: Math.floor(Date.now() / 1000) - PENDING_LOOKBACK_SECONDS };
      return callStripe('read the pending funds', async () => {
        const pending: FundsInFlight['pending'] = [];
        // Pending top-ups are read from the top-ups themselves (with their expected date), not twice.
        for await (const txn of stripe.balanceTransactions.list({ created: since, limit: 100 })) {
          if (txn.status === 'pending' && txn.type !== 'topup')
            pending.push({
              money: { amount: txn.amount, currency: txn.currency },
              availableOn: new Date(txn.available_on * 1000),
            });
        }
        const topups: FundsInFlight['topups'] = [];
        for await (const topup of stripe.topups.list({ status: 'pending', limit: 100 })) {
          const expected = topup.expected_availability_date;
          topups.push({
            id: topup.id,
            money: { amount: topup.amount, currency: topup.currency },
            created: new Date(topup.created * 1000),
            expectedAvailableOn: expected ? new Date(expected * 1000) : null,
          });
        }
        return { pending, topups };
      });
    },

    async readTopup(topupId) {
      const topup = await callStripe('read the top-up', () => stripe.topups.retrieve(topupId));
      // A status this code does not know yet is treated as still pending: nothing is recorded as settled on a guess.
      const status = TOPUP_STATUSES.find((known) => known === topup.status) ?? 'pending';
      return { object: 'topup', stripeId: topup.id, status, failureMessage: topup.failure_message ?? null };
    },

    async readTransfer(transferId) {
      const transfer = await callStripe('read the transfer', () => stripe.transfers.retrieve(transferId));
      return {
        object: 'transfer',
        stripeId: transfer.id,
        amount: { amount: transfer.amount, currency: transfer.currency },
        amountReversed: transfer.amount_reversed,
      };
    },
  };
}

/** What the logs need of a write: the object's id and Stripe's request id. */
const written = (object: { id: string; lastResponse?: { requestId?: string } }) => ({
  id: object.id,
  requestId: object.lastResponse?.requestId ?? null,
});
