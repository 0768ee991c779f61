import type { AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import type { ConnectTokens } from './connect-tokens.js';
import { AppError } from './errors.js';
import type { SellerLookup, SellerRef } from './payout-batch.js';
import type { OnboardingNotifier, PaymentsGateway, PlanStore, SellerPage, SellerStore } from './ports.js';
import {
  type AccountSnapshot,
  applyAccountSnapshot,
  deriveSellerState,
  type Seller,
  type SellerPayout,
} from './sellers.types.js';

export interface ConnectUrls {
  start(token: string): string;
  refresh(token: string): string;
  return(token: string): string;
  login(token: string): string;
}

export interface SellerServiceDeps {
  gateway: PaymentsGateway;
  store: SellerStore;
  tokens: ConnectTokens;
  urls: ConnectUrls;
  notifier: OnboardingNotifier;
  plan: PlanStore;
  audit: AuditLog;
  /** Remembers notices already sent (SET NX with an expiry). */
  claimOnce(scope: string, id: string, ttlSeconds: number): Promise<boolean>;
  /** After a bank account change, transfers to the seller need one more approver for this long. */
  bankChangeHoldHours: number;
  clock: Clock;
}

/** Several bank events in a row (a new account added, the old one removed) make one notice. */
const BANK_NOTICE_WINDOW_SECONDS = 600;

export type OnboardingOutcome = 'became_payable' | 'became_restricted' | 'still_due' | 'unchanged';

export interface SellerService {
  invite(input: {
    teamId: string;
    userId: string;
    displayName: string | null;
    email: string | null;
    country: string | null;
    invitedBy: string;
  }): Promise<{ seller: Seller; reinvite: boolean }>;
  /** A fresh single-use account link for the account a verified token names. */
  onboardingLinkFor(accountId: string): Promise<string>;
  /** Reads the account from Stripe and records it; notifies on transitions. `returned` is the seller coming back from Stripe's form. */
  syncAccount(
    accountId: string,
    options?: { returned?: boolean },
  ): Promise<{ seller: Seller; outcome: OnboardingOutcome } | undefined>;
  get(teamId: string, userId: string): Promise<Seller | undefined>;
  list(teamId: string): Promise<Seller[]>;
  /** The seller picker: payable sellers whose name or ids start with what was typed. */
  findPayable(teamId: string, prefix: string, limit: number): Promise<Seller[]>;
  page(teamId: string, offset: number, limit: number): Promise<SellerPage>;
  /** Resolves the sellers a CSV batch names, together; those of another workspace are not found. */
  lookUp(teamId: string, refs: SellerRef[]): Promise<Pick<SellerLookup, 'find'>>;
  /** A fresh Express Dashboard login link for the account a verified token names. */
  dashboardLinkFor(accountId: string): Promise<string>;
  /** Reads the seller's bank payout back from Stripe and records it; a new failure is told to ops and the seller, once. */
  payoutChanged(accountId: string, payoutId: string): Promise<SellerPayout['status'] | 'unchanged' | 'unknown seller'>;
  /** Their bank account changed (`created`, `updated`, `deleted`): the hold starts again, ops is told. */
  bankAccountChanged(accountId: string, change: string): Promise<'held' | 'unknown seller'>;
  /** The seller removed our access: marked disconnected, plan line paused, ops told; once. */
  disconnected(accountId: string): Promise<'disconnected' | 'unchanged' | 'unknown seller'>;
}

export function createSellerService(deps: SellerServiceDeps): SellerService {
  const { gateway, store, tokens, urls, notifier, clock } = deps;
  const nowIso = () => clock.now().toISOString();
  const audit = (
    seller: Seller,
    action: string,
    extra: {
      amounts?: { amount: number; currency: string }[];
      stripeId?: string;
      detail?: string;
      state?: string;
    } = {},
  ) =>
    deps.audit.append({
      at: nowIso(),
      actor: 'stripe',
      action,
      subject: seller.userId,
      kind: 'seller',
      amounts: extra.amounts ?? [],
      payee: { userId: seller.userId, accountId: seller.accountId },
      state: extra.state ?? seller.state,
      ...(extra.stripeId ? { stripeId: extra.stripeId } : {}),
      ...(extra.detail ? { detail: extra.detail } : {}),
    });

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
      const { seller, created } = existing
        ? { seller: existing, created: false }
        : await store.createIfAbsent(await createAccount(input));
      const startUrl = urls.start(tokens.issue('start', seller.accountId));
      await notifier.sellerInvited({ seller, invitedBy: input.invitedBy, startUrl, reinvite: !created });
      return { seller, reinvite: !created };
    },

    async onboardingLinkFor(accountId) {
      const seller = await store.getByAccount(accountId);
      if (!seller) throw new AppError('seller_unknown', { link: 'onboarding' });
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
      // Our key no longer reaches a disconnected account.
      if (seller.disconnectedAt) return { seller, outcome: 'unchanged' };
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
    findPayable: (teamId, prefix, limit) => store.findPayable(teamId, prefix, limit),
    page: (teamId, offset, limit) => store.page(teamId, offset, limit),
    async lookUp(teamId, refs) {
      const userIds = refs.flatMap((r) => r.userId ?? []);
      const accountIds = refs.flatMap((r) => r.accountId ?? []);
      const found = await store.findMany(teamId, {
        userIds: [...new Set(userIds)],
        accountIds: [...new Set(accountIds)],
      });
      const byUser = new Map(found.map((s) => [s.userId, s]));
      const byAccount = new Map(found.map((s) => [s.accountId, s]));
      return {
        find: ({ userId, accountId }) => {
          const seller = (userId && byUser.get(userId)) || (accountId && byAccount.get(accountId)) || undefined;
          return seller
            ? { userId: seller.userId, accountId: seller.accountId, payable: seller.state === 'payable' }
            : undefined;
        },
      };
    },

    async dashboardLinkFor(accountId) {
      const seller = await store.getByAccount(accountId);
      if (!seller || seller.disconnectedAt) throw new AppError('seller_unknown', { link: 'dashboard' });
      return gateway.createLoginLink(accountId);
    },

    async payoutChanged(accountId, payoutId) {
      const seller = await store.getByAccount(accountId);
      if (!seller) return 'unknown seller';
      const payout = await gateway.readPayout(accountId, payoutId);
      const change = await store.update(seller.teamId, seller.userId, (current) => {
        const last = current.lastPayout;
        if (last && last.id !== payout.id && last.created > payout.created) return undefined; // an older payout's late news
        if (last?.id === payout.id && last.status === payout.status) return undefined; // the same news again
        return { ...current, lastPayout: payout, updatedAt: nowIso() };
      });
      if (!change?.changed) return 'unchanged';
      const money = [{ amount: payout.amount, currency: payout.currency }];
      await audit(change.after, `seller.payout_${payout.status}`, {
        amounts: money,
        stripeId: payout.id,
        ...(payout.failureCode ? { detail: payout.failureCode } : {}),
      });
      if (payout.status === 'failed')
        await notifier.sellerPayoutFailed(change.after, payout, urls.login(tokens.issue('login', accountId)));
      return payout.status;
    },

    async bankAccountChanged(accountId, change) {
      const seller = await store.getByAccount(accountId);
      if (!seller) return 'unknown seller';
      const at = clock.now();
      const updated = await store.update(seller.teamId, seller.userId, (current) => ({
        ...current,
        bankChangedAt: at.toISOString(),
        updatedAt: at.toISOString(),
      }));
      const after = updated?.after ?? seller;
      const holdUntil = new Date(at.getTime() + deps.bankChangeHoldHours * 3_600_000);
      await audit(after, 'seller.bank_account_changed', {
        detail: `${change}; one more approver until ${holdUntil.toISOString()}`,
      });
      if (await deps.claimOnce('bank-change', accountId, BANK_NOTICE_WINDOW_SECONDS))
        await notifier.sellerBankChanged(after, change, holdUntil);
      return 'held';
    },

    async disconnected(accountId) {
      const seller = await store.getByAccount(accountId);
      if (!seller) return 'unknown seller';
      const change = await store.update(seller.teamId, seller.userId, (current) =>
        current.disconnectedAt
          ? undefined
          : { ...current, state: 'disconnected', disconnectedAt: nowIso(), updatedAt: nowIso() },
      );
      if (!change?.changed) return 'unchanged';
      const entry = await deps.plan.get(seller.teamId, seller.userId);
      if (entry && !entry.pausedReason)
        await deps.plan.set({
          ...entry,
          pausedReason: 'the seller disconnected their Stripe account',
          updatedAt: nowIso(),
        });
      await audit(change.after, 'seller.disconnected', { detail: entry ? 'plan line paused' : 'no plan line' });
      await notifier.sellerDisconnected(change.after, entry !== undefined);
      return 'disconnected';
    },
  };
}
