import { describe, expect, it, vi } from 'vitest';
import { createConnectTokens } from '../../src/domain/connect-tokens.js';
import type { OnboardingNotifier, PaymentsGateway } from '../../src/domain/ports.js';
import { createSellerService } from '../../src/domain/sellers.js';
import type { AccountSnapshot, SellerPayout } from '../../src/domain/sellers.types.js';
import {
  memoryAudit,
  memoryClaims,
  memoryPlanStore,
  memorySellerStore,
  TEAM,
  testClock,
} from '../support/memory-ports.js';

const NOW = '2026-11-24T12:00:00.000Z';
const USER = 'USELLER';
const INVITE = {
  teamId: TEAM,
  userId: USER,
  displayName: 'Ana',
  email: 'ana@example.com',
  country: null,
  invitedBy: 'UREQ',
};

/** Stripe as onboarding sees it: `account` is the connected account as Stripe shows it now. */
function setup() {
  const clock = testClock(NOW);
  const account: AccountSnapshot = {
    id: 'acct_ana',
    country: 'US',
    email: 'ana@example.com',
    detailsSubmitted: false,
    transfersCapability: 'inactive',
    payoutsEnabled: false,
    currentlyDue: ['external_account'],
    disabledReason: null,
  };
  const payouts = new Map<string, SellerPayout>();
  const gateway: PaymentsGateway = {
    platformAccount: vi.fn(async () => ({ id: 'acct_platform', country: 'US', defaultCurrency: 'usd' })),
    createExpressAccount: vi.fn(async (input) => ({ ...account, country: input.country })),
    retrieveAccount: vi.fn(async () => ({ ...account })),
    createOnboardingLink: vi.fn(async () => ({
      url: 'https://connect.stripe.test/setup/1',
      expiresAt: new Date(Date.parse(NOW) + 300_000),
    })),
    createLoginLink: vi.fn(async () => 'https://connect.stripe.test/express/1'),
    readPayout: vi.fn(async (_account, id) => payouts.get(id)!),
  };
  const notifier: { [K in keyof OnboardingNotifier]: OnboardingNotifier[K] & ReturnType<typeof vi.fn> } = {
    sellerInvited: vi.fn(async () => undefined),
    sellerBecamePayable: vi.fn(async () => undefined),
    sellerBecameRestricted: vi.fn(async () => undefined),
    sellerStillDue: vi.fn(async () => undefined),
    sellerPayoutFailed: vi.fn(async () => undefined),
    sellerBankChanged: vi.fn(async () => undefined),
    sellerDisconnected: vi.fn(async () => undefined),
  };
  const plan = memoryPlanStore([
    {
      teamId: TEAM,
      userId: USER,
      accountId: 'acct_ana',
      money: { amount: 50_00, currency: 'eur' },
      description: null,
      approvedBy: ['UAPP1'],
      requestId: 'req_p1',
      updatedAt: NOW,
    },
  ]);
  const audit = memoryAudit();
  const urls = {
    start: (t: string) => `https://bot.test/connect/start?token=${t}`,
    refresh: (t: string) => `r:${t}`,
    return: (t: string) => `R:${t}`,
    login: (t: string) => `L:${t}`,
  };
  const service = createSellerService({
    gateway,
    store: memorySellerStore(),
    tokens: createConnectTokens('test-secret', clock),
    urls,
    notifier,
    plan,
    audit,
    claimOnce: memoryClaims(),
    bankChangeHoldHours: 72,
    clock,
  });
  const payout = (id: string, status: SellerPayout['status'], created: string): SellerPayout => {
    const value = {
      id,
      amount: 40_00,
      currency: 'eur',
      status,
      failureCode: status === 'failed' ? 'account_closed' : null,
      failureMessage: null,
      arrivalDate: '2026-11-26',
      created,
    };
    payouts.set(id, value);
    return value;
  };
  return { service, gateway, notifier, plan, audit, account, clock, payout };
}

describe('sellers', () => {
  it('when a person is invited, then one Express account is made with an idempotency key of theirs and they get a start link; a second invite reuses it', async () => {
    const { service, gateway, notifier } = setup();
    const first = await service.invite(INVITE);
    expect(first).toMatchObject({
      reinvite: false,
      seller: { accountId: 'acct_ana', state: 'invited', invitedBy: 'UREQ' },
    });
    expect(gateway.createExpressAccount).toHaveBeenCalledWith(
      expect.objectContaining({ country: 'US', recipientAgreement: false }),
      `invite-${TEAM}-${USER}`,
    );
    expect(notifier.sellerInvited).toHaveBeenCalledWith(
      expect.objectContaining({
        startUrl: expect.stringMatching(/^https:\/\/bot\.test\/connect\/start\?token=/),
        reinvite: false,
      }),
    );
    await expect(service.invite({ ...INVITE, invitedBy: 'UAPP1' })).resolves.toMatchObject({
      reinvite: true,
      seller: { accountId: 'acct_ana', invitedBy: 'UREQ' },
    });
    expect(gateway.createExpressAccount).toHaveBeenCalledTimes(1);
    expect(notifier.sellerInvited).toHaveBeenLastCalledWith(expect.objectContaining({ reinvite: true }));
  });

  it('when the seller is in another country than the platform, then the account is made under the recipient agreement', async () => {
    const { service, gateway } = setup();
    await service.invite({ ...INVITE, country: 'fr' });
    expect(gateway.createExpressAccount).toHaveBeenCalledWith(
      expect.objectContaining({ country: 'FR', recipientAgreement: true }),
      expect.any(String),
    );
  });

  it('when Stripe shows the account moving through onboarding, then the state follows and each transition is told once', async () => {
    const { service, notifier, account } = setup();
    await service.invite(INVITE);
    Object.assign(account, { detailsSubmitted: true, currentlyDue: ['individual.verification.document'] });
    await expect(service.syncAccount('acct_ana')).resolves.toMatchObject({
      outcome: 'unchanged',
      seller: { state: 'action_required' },
    });
    await expect(service.syncAccount('acct_ana', { returned: true })).resolves.toMatchObject({ outcome: 'still_due' });
    expect(notifier.sellerStillDue).toHaveBeenCalledWith(
      expect.objectContaining({ state: 'action_required' }),
      expect.stringContaining('/connect/start?token='),
    );
    Object.assign(account, { currentlyDue: [], transfersCapability: 'active', payoutsEnabled: true });
    await expect(service.syncAccount('acct_ana')).resolves.toMatchObject({
      outcome: 'became_payable',
      seller: { state: 'payable', everPayable: true },
    });
    await expect(service.syncAccount('acct_ana')).resolves.toMatchObject({
      outcome: 'unchanged',
      seller: { state: 'payable' },
    });
    expect(notifier.sellerBecamePayable).toHaveBeenCalledTimes(1);
    Object.assign(account, { transfersCapability: 'inactive', disabledReason: 'requirements.past_due' });
    await expect(service.syncAccount('acct_ana')).resolves.toMatchObject({
      outcome: 'became_restricted',
      seller: { state: 'restricted' },
    });
    expect(notifier.sellerBecameRestricted).toHaveBeenCalledTimes(1);
  });

  it('when an account is not one of our sellers, then syncing ignores it and links for it are refused with seller_unknown', async () => {
    const { service } = setup();
    await expect(service.syncAccount('acct_stranger')).resolves.toBeUndefined();
    await expect(service.onboardingLinkFor('acct_stranger')).rejects.toMatchObject({ code: 'seller_unknown' });
    await expect(service.dashboardLinkFor('acct_stranger')).rejects.toMatchObject({ code: 'seller_unknown' });
    await expect(service.disconnected('acct_stranger')).resolves.toBe('unknown seller');
  });

  it('when a seller disconnects, then they are marked disconnected, their plan line is paused and ops hears once; Stripe is not asked about them again', async () => {
    const { service, notifier, plan, gateway, audit } = setup();
    await service.invite(INVITE);
    await expect(service.disconnected('acct_ana')).resolves.toBe('disconnected');
    await expect(service.disconnected('acct_ana')).resolves.toBe('unchanged');
    await expect(service.get(TEAM, USER)).resolves.toMatchObject({ state: 'disconnected', disconnectedAt: NOW });
    expect((await plan.get(TEAM, USER))?.pausedReason).toBeTruthy();
    expect(notifier.sellerDisconnected).toHaveBeenCalledTimes(1);
    expect(notifier.sellerDisconnected).toHaveBeenCalledWith(expect.objectContaining({ state: 'disconnected' }), true);
    expect(audit.actions()).toEqual(['seller.disconnected']);
    await expect(service.syncAccount('acct_ana')).resolves.toMatchObject({
      outcome: 'unchanged',
      seller: { state: 'disconnected' },
    });
    expect(gateway.retrieveAccount).not.toHaveBeenCalled();
    await expect(service.dashboardLinkFor('acct_ana')).rejects.toMatchObject({ code: 'seller_unknown' });
  });

  it('when the bank account changes twice in a row, then the hold starts from the last change and ops hears once', async () => {
    const { service, notifier, clock } = setup();
    await service.invite(INVITE);
    await expect(service.bankAccountChanged('acct_ana', 'created')).resolves.toBe('held');
    clock.advance(60_000);
    await service.bankAccountChanged('acct_ana', 'deleted');
    await expect(service.get(TEAM, USER)).resolves.toMatchObject({ bankChangedAt: clock.now().toISOString() });
    expect(notifier.sellerBankChanged).toHaveBeenCalledTimes(1);
    expect(notifier.sellerBankChanged).toHaveBeenCalledWith(
      expect.objectContaining({ userId: USER }),
      'created',
      new Date(Date.parse(NOW) + 72 * 3_600_000),
    );
  });

  it("when a seller's bank payout fails, then it is recorded and told once; the same news again, or an older payout's, changes nothing", async () => {
    const { service, notifier, payout } = setup();
    await service.invite(INVITE);
    payout('po_old', 'paid', '2026-11-20T00:00:00Z');
    payout('po_new', 'failed', '2026-11-23T00:00:00Z');
    await expect(service.payoutChanged('acct_ana', 'po_new')).resolves.toBe('failed');
    await expect(service.payoutChanged('acct_ana', 'po_new')).resolves.toBe('unchanged');
    await expect(service.payoutChanged('acct_ana', 'po_old')).resolves.toBe('unchanged');
    expect(notifier.sellerPayoutFailed).toHaveBeenCalledTimes(1);
    await expect(service.get(TEAM, USER)).resolves.toMatchObject({ lastPayout: { id: 'po_new', status: 'failed' } });
  });
});
