import type { AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import type { Freeze, FreezeScope, LimitHold, LimitLeft } from './controls.types.js';
import { AppError } from './errors.js';
import type { CurrencyAmounts, Money } from './money.js';
import type { PaymentInstruction } from './payments.types.js';
import type {
  ControlNotifier,
  FreezeStore,
  HeldPayments,
  LimitHoldStore,
  PaymentGuard,
  VelocityCounter,
} from './ports.js';

/** One key per scope: freezing the same scope twice is one freeze. */
export const scopeKey = (scope: FreezeScope): string =>
  scope.kind === 'all' ? 'all' : scope.kind === 'currency' ? `currency:${scope.currency}` : `seller:${scope.accountId}`;

/** The freeze that stops this payment, if any. */
export function freezeOver(freezes: readonly Freeze[], instruction: PaymentInstruction): Freeze | undefined {
  return freezes.find(({ scope }) => {
    if (scope.kind === 'all') return true;
    if (scope.kind === 'currency') return scope.currency === instruction.money.currency;
    return instruction.action === 'transfer' && instruction.destinationAccountId === scope.accountId;
  });
}

/** How often a frozen payment looks again on its own; an unfreeze wakes it at once. */
export const FROZEN_RECHECK_MS = 60_000;
/** How often a payment over the daily limit looks again (an override wakes it at once; a new UTC day lets it through). */
export const LIMIT_RECHECK_MS = 15 * 60_000;

/** The daily limits, per currency in minor units: in all, and to one seller. */
export interface DailyLimits {
  total: CurrencyAmounts;
  perSeller: CurrencyAmounts;
}

/** The UTC day a payment counts towards: YYYY-MM-DD. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

const nextUtcMidnight = (at: Date): Date =>
  new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1));

/**
 * The last check before each Stripe write (inside pay()): a freeze over the payment, then the daily limits, counted
 * atomically. A payment that may not go now throws a retryable AppError with the time to look again; the worker
 * delays its job by that much, so it waits without using up its attempts and goes out once when allowed.
 */
export function createPaymentGuard(deps: {
  freezes: FreezeStore;
  velocity: VelocityCounter;
  limits: DailyLimits;
  holds: LimitHoldStore;
  clock: Clock;
  notifier: ControlNotifier;
}): PaymentGuard {
  return {
    async admit(ref, payoutRef, instruction) {
      const freeze = freezeOver(await deps.freezes.list(), instruction);
      if (freeze) {
        throw new AppError(
          'payments_frozen',
          { reason: freeze.reason },
          { retryable: true, retryAfterMs: FROZEN_RECHECK_MS },
        );
      }
      // Top-ups bring money in; the daily limits are on what leaves.
      if (instruction.action !== 'transfer') return;
      const { currency } = instruction.money;
      const now = deps.clock.now();
      const limits = { total: deps.limits.total.get(currency), perSeller: deps.limits.perSeller.get(currency) };
      if (limits.total === undefined && limits.perSeller === undefined) return;
      const day = utcDay(now);
      // An override lets this one payment pass today's limits; it still counts towards the day's totals.
      const { held, overridden } = await deps.holds.standing(payoutRef, day);
      const counted = await deps.velocity.reserve({
        payoutRef,
        day,
        money: instruction.money,
        accountId: instruction.destinationAccountId,
        limits: overridden ? { total: undefined, perSeller: undefined } : limits,
      });
      if (counted.ok) {
        // Only a payment a limit held before is on the list of held ones.
        if (held) await deps.holds.clear(payoutRef);
        return;
      }
      const limit = { amount: counted.limit, currency };
      await deps.holds.hold({
        payoutRef,
        money: instruction.money,
        accountId: instruction.destinationAccountId,
        which: counted.which,
        limit,
        day,
      });
      await deps.notifier.limitReached({
        ref,
        payoutRef,
        instruction,
        which: counted.which,
        limit,
        used: { amount: counted.used, currency },
      });
      const wait = Math.min(LIMIT_RECHECK_MS, nextUtcMidnight(now).getTime() - now.getTime() + 1_000);
      throw new AppError(
        'daily_limit',
        { which: counted.which, limit },
        {
          retryable: true,
          retryAfterMs: wait,
        },
      );
    },
    release: (payoutRef) => deps.velocity.release(payoutRef),
  };
}

/**
 * What today's limits leave, per currency the payment moves: in all and (for one seller) to that seller. Nothing for
 * a currency with no limit. Read for cards only; the Lua reserve at payment time is what holds.
 */
export function createLimitsLeft(deps: { velocity: Pick<VelocityCounter, 'used'>; limits: DailyLimits; clock: Clock }) {
  return async (amounts: Money[], accountId: string | null): Promise<LimitLeft[]> => {
    const day = utcDay(deps.clock.now());
    const perCurrency = await Promise.all(
      amounts.map(async ({ currency }) => {
        const total = deps.limits.total.get(currency);
        const perSeller = accountId ? deps.limits.perSeller.get(currency) : undefined;
        if (total === undefined && perSeller === undefined) return [];
        const used = await deps.velocity.used(day, currency, accountId);
        const left = (which: LimitLeft['which'], limit: number, usedSoFar: number): LimitLeft => ({
          which,
          left: { amount: Math.max(0, limit - usedSoFar), currency },
          limit: { amount: limit, currency },
        });
        return [
          ...(total !== undefined ? [left('total', total, used.total)] : []),
          ...(perSeller !== undefined ? [left('seller', perSeller, used.seller)] : []),
        ];
      }),
    );
    return perCurrency.flat();
  };
}

/** The codes of a payment that waits (rather than fails): the worker delays its job instead of spending an attempt. */
export const WAITING_CODES: ReadonlySet<string> = new Set(['payments_frozen', 'daily_limit']);

export interface FreezeService {
  /** Freezes the scope at once; false when it was frozen already (the earlier freeze stays). */
  freeze(freeze: Freeze): Promise<boolean>;
  /** Lifts a freeze after its unfreeze request is approved; the payments it held go out. */
  lift(scope: FreezeScope, by: string[]): Promise<Freeze | undefined>;
  list(): Promise<Freeze[]>;
}

export function createFreezeService(deps: {
  freezes: FreezeStore;
  held: HeldPayments;
  audit: AuditLog;
  notifier: ControlNotifier;
  clock: Clock;
}): FreezeService {
  const audit = (action: string, freeze: Freeze, actor: string) =>
    deps.audit.append({
      at: deps.clock.now().toISOString(),
      actor,
      action,
      subject: scopeKey(freeze.scope),
      kind: 'freeze',
      amounts: [],
      state: action === 'freeze.on' ? 'frozen' : 'unfrozen',
      detail: freeze.reason,
    });
  return {
    async freeze(freeze) {
      if (!(await deps.freezes.add(freeze))) return false;
      await audit('freeze.on', freeze, freeze.by);
      await deps.notifier.frozen(freeze);
      return true;
    },
    async lift(scope, by) {
      const lifted = await deps.freezes.remove(scopeKey(scope));
      if (!lifted) return undefined;
      await audit('freeze.off', lifted, by.join(','));
      await deps.held.wake();
      await deps.notifier.unfrozen(lifted, by);
      return lifted;
    },
    list: () => deps.freezes.list(),
  };
}

export interface LimitOverrideService {
  /** Why this payment waits on a daily limit; undefined when no limit holds it. */
  held(payoutRef: string): Promise<LimitHold | undefined>;
  /** The payments daily limits hold now, the longest held first: at most `limit`, and how many there are. */
  waiting(limit: number): Promise<{ holds: LimitHold[]; total: number }>;
  /** After two approvers approved: the held payment passes today's limits (once: its job id is its reference) and goes out now. */
  grant(payoutRef: string, by: string[]): Promise<void>;
}

export function createLimitOverrides(deps: {
  holds: LimitHoldStore;
  held: HeldPayments;
  audit: AuditLog;
  clock: Clock;
}): LimitOverrideService {
  return {
    held: (payoutRef) => deps.holds.get(payoutRef),
    waiting: (limit) => deps.holds.list(limit),
    async grant(payoutRef, by) {
      const hold = await deps.holds.get(payoutRef);
      const now = deps.clock.now();
      await deps.holds.override(payoutRef, utcDay(now));
      await deps.audit.append({
        at: now.toISOString(),
        actor: by.join(','),
        action: 'limit.override',
        subject: payoutRef,
        payoutRef,
        kind: 'limit',
        amounts: hold ? [hold.money] : [],
        state: 'overridden',
        detail: `today, ${utcDay(now)}`,
      });
      await deps.held.wake();
    },
  };
}
