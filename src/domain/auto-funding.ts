import type { AuditLog } from './audit.js';
import { type Day, subtractBusinessDays } from './business-days.js';
import type { Clock } from './clock.js';
import type { Shortfall } from './forecast.js';
import type { AutoFunding, AutoTopup } from './funding.types.js';
import { type PaymentService, paymentRef } from './payments.js';
import type { PaymentRef, StripeState } from './payments.types.js';
import type { AutoFundingStore, FundingNotifier, PaymentQueue } from './ports.js';
import type { PayoutRequest } from './requests.types.js';

/** The cap holds over any rolling 7 days. */
const CAP_WINDOW_MS = 7 * 86_400_000;
/**
 * The bot tops up this many business days before the last day that is still in time: late enough that a plan
 * changed meanwhile is in the amount, early enough that one missed daily check does not make it late.
 */
export const AUTO_TOPUP_EARLY_BUSINESS_DAYS = 1;

export interface AutoFundingDeps {
  store: AutoFundingStore;
  payments: PaymentService;
  queue: PaymentQueue;
  audit: AuditLog;
  notifier: FundingNotifier;
  clock: Clock;
  holidays: ReadonlySet<Day>;
}

/** A shortfall the bot takes care of (a top-up made or on its way) needs no notice; the others do. */
export type AutoDecision = 'topped_up' | 'waiting' | 'notify';

export interface AutoFundingService {
  /** An approved `funding` request becomes the standing permission for its currency (replacing an earlier cap). */
  enable(request: PayoutRequest): Promise<AutoFunding>;
  /** `funding off` acts at once. */
  disable(currency: string, userId: string): Promise<AutoFunding | undefined>;
  /** Each permission with what its cap has used in the last 7 days. */
  status(): Promise<{ permission: AutoFunding; used: number }[]>;
  /** Makes (queues) the top-up a shortfall needs when a permission covers it and its time has come. */
  handle(shortfall: Shortfall, topupCurrency: string, today: Day): Promise<AutoDecision>;
  /** The payment job of an automatic top-up: once per key, through the one money path. */
  pay(currency: string, day: Day): Promise<'paid' | 'failed' | 'skipped'>;
  /** Records what Stripe now shows for an automatic top-up; ops is told when it failed, was canceled or reversed. */
  settled(currency: string, day: Day, state: StripeState): Promise<boolean>;
}

export function createAutoFundingService(deps: AutoFundingDeps): AutoFundingService {
  const { store, clock } = deps;
  const nowIso = () => clock.now().toISOString();
  const windowStart = () => new Date(clock.now().getTime() - CAP_WINDOW_MS);
  const refOf = (currency: string, day: Day): Extract<PaymentRef, { kind: 'auto-topup' }> => ({
    kind: 'auto-topup',
    currency,
    day,
  });

  const record = (
    topup: AutoTopup,
    action: string,
    extra: { stripeId?: string; detail?: string; actor?: string } = {},
  ) =>
    deps.audit.append({
      at: nowIso(),
      actor: extra.actor ?? 'system',
      action,
      subject: `funding-${topup.key}`,
      payoutRef: paymentRef(refOf(topup.currency, topup.day)),
      kind: 'auto-topup',
      amounts: [{ amount: topup.amount, currency: topup.currency }],
      state: topup.settlement ?? topup.status,
      ...(extra.stripeId ? { stripeId: extra.stripeId } : {}),
      ...(extra.detail ? { detail: extra.detail } : {}),
    });

  return {
    async enable(request) {
      const permission: AutoFunding = {
        currency: request.money.currency,
        cap: request.money.amount,
        requestId: request.id,
        approvedBy: request.approvals.map((a) => a.userId),
        since: nowIso(),
      };
      await store.grant(permission);
      await deps.audit.append({
        at: nowIso(),
        actor: request.approvals.at(-1)?.userId ?? 'system',
        action: 'funding.auto_on',
        subject: request.id,
        kind: 'funding',
        amounts: [request.money],
        state: 'on',
        detail: 'cap per rolling 7 days',
      });
      return permission;
    },

    async disable(currency, userId) {
      const removed = await store.revoke(currency);
      if (removed)
        await deps.audit.append({
          at: nowIso(),
          actor: userId,
          action: 'funding.auto_off',
          subject: removed.requestId,
          kind: 'funding',
          amounts: [{ amount: removed.cap, currency }],
          state: 'off',
        });
      return removed;
    },

    async status() {
      const since = windowStart();
      return Promise.all(
        (await store.permissions()).map(async (permission) => ({
          permission,
          used: await store.usedSince(permission.currency, since),
        })),
      );
    },

    async handle(shortfall, topupCurrency, today) {
      const permission = shortfall.currency === topupCurrency ? await store.permission(shortfall.currency) : undefined;
      if (!permission) return 'notify';
      if (
        !shortfall.tooLate &&
        today < subtractBusinessDays(shortfall.lastTopupDay, AUTO_TOPUP_EARLY_BUSINESS_DAYS, deps.holidays)
      )
        return 'waiting';
      const key = `${shortfall.currency}-${shortfall.day}`;
      const topup: AutoTopup = {
        key,
        currency: shortfall.currency,
        day: shortfall.day,
        amount: shortfall.amount,
        claimedAt: nowIso(),
        status: 'queued',
        stripeId: null,
        failure: null,
        settlement: null,
      };
      const claim = await store.claimTopup(topup, permission.cap, windowStart());
      if (claim === 'claimed') {
        await deps.queue.enqueue(refOf(shortfall.currency, shortfall.day));
        return 'topped_up';
      }
      // Made already: still on its way to Stripe, or made and not enough (the plan grew since), or refused.
      if (claim === 'exists' && (await store.topup(key))?.status === 'queued') return 'topped_up';
      return 'notify';
    },

    async pay(currency, day) {
      const key = `${currency}-${day}`;
      const topup = await store.topup(key);
      if (topup?.status !== 'queued') return 'skipped';
      // `funding off` acts at once, on top-ups claimed but not yet made too.
      if (!(await store.permission(currency))) {
        const stopped = await store.updateTopup(key, (t) =>
          t.status === 'queued'
            ? { ...t, status: 'failed', failure: { code: 'auto_funding_off', params: {} } }
            : undefined,
        );
        if (stopped?.changed)
          await record(stopped.after, 'funding.auto_topup_skipped', { detail: 'automatic top-ups were turned off' });
        return 'skipped';
      }
      const outcome = await deps.payments.pay(refOf(currency, day), {
        action: 'topup',
        money: { amount: topup.amount, currency },
        description: `Automatic top-up for ${day}`,
        statementDescriptor: null,
      });
      const result = await store.updateTopup(key, (t) =>
        t.status !== 'queued'
          ? undefined
          : outcome.status === 'paid'
            ? { ...t, status: 'created', stripeId: outcome.stripeId, settlement: 'pending' }
            : { ...t, status: 'failed', failure: outcome.error.problem },
      );
      if (result?.changed) {
        const made = result.after;
        await record(made, made.status === 'created' ? 'funding.auto_topup_created' : 'funding.auto_topup_failed', {
          ...(made.stripeId ? { stripeId: made.stripeId } : {}),
          ...(outcome.status === 'failed' ? { detail: outcome.error.code } : {}),
        });
        const permission = await store.permission(currency);
        if (permission)
          await deps.notifier.autoTopupMade(made, permission, await store.usedSince(currency, windowStart()));
      }
      return outcome.status;
    },

    async settled(currency, day, state) {
      if (state.object !== 'topup') return false;
      const result = await store.updateTopup(`${currency}-${day}`, (t) =>
        t.stripeId === state.stripeId && t.settlement !== state.status
          ? { ...t, settlement: state.status, failure: state.failureMessage ?? t.failure }
          : undefined,
      );
      if (!result?.changed) return false;
      await record(result.after, `funding.auto_topup_${state.status}`, { actor: 'stripe', stripeId: state.stripeId });
      if (state.status !== 'succeeded' && state.status !== 'pending')
        await deps.notifier.autoTopupSettled(result.after);
      return true;
    },
  };
}
