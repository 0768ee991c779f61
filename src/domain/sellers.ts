import type { Clock } from './clock.js';
import type { ConnectTokens } from './connect-tokens.js';
import { AppError } from './errors.js';
import type { OnboardingNotifier, PaymentsGateway, SellerStore } from './ports.js';
import { applyAccountSnapshot, deriveSellerState, type AccountSnapshot, type Seller } from './sellers.types.js';

export interface ConnectUrls {
  start(token: string): string;
  refresh(token: string): string;
  return(token: string): string;
}

export interface SellerServiceDeps {
  gateway: PaymentsGateway;
  store: SellerStore;
  tokens: ConnectTokens;
  urls: ConnectUrls;
  notifier: OnboardingNotifier;
  clock: Clock;
}

export type OnboardingOutcome = 'became_payable' | 'became_restricted' | 'still_due' | 'unchanged';

export interface SellerService {
  invite(input: { teamId: string; userId: string; displayName: string | null; email: string | null; country: string | null; invitedBy: string }): Promise<{ seller: Seller; reinvite: boolean }>;
  /** A fresh single-use account link for the account a verified token names. */
  onboardingLinkFor(accountId: string): Promise<string>;
  /** Reads the account from Stripe and records it; notifies on transitions. `returned` is the seller coming back from Stripe's form. */
  syncAccount(accountId: string, options?: { returned?: boolean }): Promise<{ seller: Seller; outcome: OnboardingOutcome } | undefined>;
  get(teamId: string, userId: string): Promise<Seller | undefined>;
  list(teamId: string): Promise<Seller[]>;
}

export function createSellerService(deps: SellerServiceDeps): SellerService {
  const { gateway, store, tokens, urls, notifier, clock } = deps;

  async function createAccount(input: Parameters<SellerService['invite']>[0]): Promise<Seller> {
    const platform = await gateway.platformAccount();
    const country = (input.country ?? platform.country).toUpperCase();
    const account = await gateway.createExpressAccount(
      {
        country,
        email: input.email,
        // Sellers outside the platform's country can only receive transfers under the recipient agreement.
        recipientAgreement: country !== platform.country.toUpperCase(),
        metadata: { slack_team_id: input.teamId, slack_user_id: input.userId, invited_by: input.invitedBy },
      },
      // Two invites at once make one account: Stripe replays the first for the same key.
      `invite-${input.teamId}-${input.userId}`,
    );
    const now = clock.now().toISOString();
    return applyAccountSnapshot(
      {
        teamId: input.teamId,
        userId: input.userId,
        accountId: account.id,
        displayName: input.displayName,
        country: account.country,
        email: account.email,
        state: deriveSellerState(account, false),
        detailsSubmitted: false,
        transfersCapability: 'inactive',
        payoutsEnabled: false,
        currentlyDue: [],
        disabledReason: null,
        everPayable: false,
        invitedBy: input.invitedBy,
        invitedAt: now,
        updatedAt: now,
      },
      account,
      clock.now(),
    );
  }

  async function record(seller: Seller, account: AccountSnapshot) {
    return store.update(seller.teamId, seller.userId, (current) => applyAccountSnapshot(current, account, clock.now()));
  }

  return {
    async invite(input) {
      const existing = await store.get(input.teamId, input.userId);
      const { seller, created } = existing ? { seller: existing, created: false } : await store.createIfAbsent(await createAccount(input));
      const startUrl = urls.start(tokens.issue('start', seller.accountId));
      await notifier.sellerInvited({ seller, invitedBy: input.invitedBy, startUrl, reinvite: !created });
      return { seller, reinvite: !created };
    },

    async onboardingLinkFor(accountId) {
      const seller = await store.getByAccount(accountId);
      if (!seller) throw new AppError('seller_unknown', 'This onboarding link is not for a seller we know. Ask the ops team for a new invite.');
      const link = await gateway.createOnboardingLink({
        accountId,
        refreshUrl: urls.refresh(tokens.issue('refresh', accountId)),
        returnUrl: urls.return(tokens.issue('return', accountId)),
      });
      return link.url;
    },

    async syncAccount(accountId, options = {}) {
      const seller = await store.getByAccount(accountId);
      if (!seller) return undefined;
      // Always read the account itself: webhook payloads can arrive late or out of order.
      const account = await gateway.retrieveAccount(accountId);
      const change = await record(seller, account);
      if (!change) return undefined;
      const { before, after } = change;
      let outcome: OnboardingOutcome = 'unchanged';
      if (after.state === 'payable' && before.state !== 'payable') outcome = 'became_payable';
      else if (after.state === 'restricted' && before.state !== 'restricted') outcome = 'became_restricted';
      else if (options.returned && after.state !== 'payable') outcome = 'still_due';

      const continueUrl = () => urls.start(tokens.issue('start', accountId));
      if (outcome === 'became_payable') await notifier.sellerBecamePayable(after);
      else if (outcome === 'became_restricted') await notifier.sellerBecameRestricted(after, continueUrl());
      else if (outcome === 'still_due') await notifier.sellerStillDue(after, continueUrl());
      return { seller: after, outcome };
    },

    get: (teamId, userId) => store.get(teamId, userId),
    list: (teamId) => store.list(teamId),
  };
}
