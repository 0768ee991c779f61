import type { AccessPolicy } from './access.js';
import type { Clock } from './clock.js';
import type { FreezeScope, LimitHold, LimitLeft } from './controls.types.js';
import { AppError, type ErrorParams, type Problem } from './errors.js';
import { newId } from './ids.js';
import { type CurrencyAmounts, type Money, totalsOf } from './money.js';
import { unpausedLines } from './payouts.types.js';
import { exceedsMaximum, requiredApprovals } from './policy.js';
import type { MoneyGateway, PaymentQueue, PlanStore, RequestNotifier, RequestStore, SellerStore } from './ports.js';
import {
  type BankChangeHold,
  type FundsCheck,
  type PayoutRequest,
  type RequestBase,
  type RequestKind,
  type RunDraft,
  type ScheduleDraft,
  summarizeRun,
} from './requests.types.js';
import type { Seller } from './sellers.types.js';

export interface RequestServiceDeps {
  gateway: MoneyGateway;
  store: RequestStore;
  sellers: SellerStore;
  access: AccessPolicy;
  queue: PaymentQueue;
  notifier: RequestNotifier;
  plan: PlanStore;
  clock: Clock;
  policy: {
    thresholds: CurrencyAmounts;
    maxima: CurrencyAmounts;
    approvalTtlSeconds: number;
    bankChangeHoldHours: number;
  };
  /** The funds a card shows for what a transfer or run moves (src/domain/funding.ts). */
  /** Funds for the card; `available` when the caller has just read the balance. */
  funds: (amounts: Money[], available?: Money[]) => Promise<FundsCheck>;
  /** What today's daily limits leave for these amounts (to this seller's account, for a transfer). */
  limitsLeft: (amounts: Money[], accountId: string | null) => Promise<LimitLeft[]>;
  /** Queues the reminders of a request once it is posted. */
  reminders: { schedule(request: PayoutRequest): Promise<void> };
  /** Why a payment waits on a daily limit, for an override request. */
  heldByLimit: (payoutRef: string) => Promise<LimitHold | undefined>;
}

/** Kinds whose card shows the funds they would take. */
const TAKES_FUNDS: ReadonlySet<RequestKind> = new Set(['transfer', 'run']);

export interface NewRequest {
  kind: RequestKind;
  teamId: string;
  requestedBy: string;
  description: string | null;
  /** topup, transfer, plan, funding (its cap) (and top-up schedules, through `schedule.money`). */
  money?: Money;
  statementDescriptor?: string | null;
  /** transfer, plan. */
  sellerUserId?: string;
  /** schedule, resume. */
  schedule?: ScheduleDraft;
  /** run. */
  run?: RunDraft;
  /** unfreeze: the freeze to lift. */
  unfreeze?: FreezeScope;
  /** override: the reference of the payment a daily limit holds. */
  override?: string;
}

/** What a click did. `refused` and `unchanged` leave the request exactly as it was; `refusal` says why. */
export type ClickResult =
  | { outcome: 'approved' | 'awaiting_second' | 'rejected' | 'expired'; request: PayoutRequest }
  | { outcome: 'unchanged' | 'refused'; request: PayoutRequest | undefined; refusal: Problem };

/** What a request that is no longer pending shows of its decision. */
const decisionOf = (request: PayoutRequest): Problem => ({
  code: 'request_decided',
  params: {
    state: request.state,
    approvedBy: request.approvals.map((a) => a.userId),
    rejectedBy: request.rejection?.userId ?? null,
  },
});

/** Whether the request pays this person, who may not decide it; `runPaysThem`: whether a run request's lines do (`RequestStore.runPays`). */
const pays = (request: PayoutRequest, userId: string, runPaysThem: boolean): boolean =>
  request.kind === 'transfer' || request.kind === 'plan'
    ? request.destination.userId === userId
    : request.kind === 'run' && runPaysThem;

/** What the kind of a request carries beyond what every request has. */
type KindFacts = DistributiveOmit<PayoutRequest, keyof RequestBase>;

/** The seller's account a transfer or a plan change pays: the daily limit per seller applies to it. */
const payeeAccountOf = (request: KindFacts | PayoutRequest): string | null =>
  request.kind === 'transfer' || request.kind === 'plan' ? request.destination.accountId : null;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface RequestService {
  /** Validates, stores a pending request and posts it for approval. Throws AppError with a message for the requester. */
  create(input: NewRequest): Promise<PayoutRequest>;
  approve(id: string, userId: string): Promise<ClickResult>;
  reject(id: string, userId: string, reason: string): Promise<ClickResult>;
  /** Whether this person could act on the request now (before a reject modal opens). */
  canDecide(id: string, userId: string): Promise<ClickResult | undefined>;
  get(id: string): Promise<PayoutRequest | undefined>;
  /** Pending requests this person may decide now (their App Home, `/payout pending`), oldest first. */
  waitingFor(userId: string): Promise<PayoutRequest[]>;
  /**
   * A person's App Home lists, from one read of the open requests: `waiting` (as `waitingFor`) for an approver, `mine`
   * (their requests not yet in a final state, newest first) for a requester.
   */
  homeLists(userId: string): Promise<{ waiting?: PayoutRequest[]; mine?: PayoutRequest[] }>;
}

export function createRequestService(deps: RequestServiceDeps): RequestService {
  const { store, clock, access } = deps;
  const nowIso = () => clock.now().toISOString();

  async function payableSeller(teamId: string, userId: string): Promise<Seller> {
    const seller = await deps.sellers.get(teamId, userId);
    if (!seller) throw new AppError('seller_unknown', { userId });
    if (seller.state === 'disconnected') throw new AppError('seller_disconnected', { userId: seller.userId });
    if (seller.state !== 'payable')
      throw new AppError('seller_not_payable', { userId: seller.userId, transfers: seller.transfersCapability });
    return seller;
  }

  /** A bank account changed just before a payment is the classic account-takeover pattern: one more pair of eyes while it is fresh. */
  function bankChangeHold(seller: Seller): { bankChangeHold?: BankChangeHold } {
    if (!seller.bankChangedAt) return {};
    const until = Date.parse(seller.bankChangedAt) + deps.policy.bankChangeHoldHours * 3_600_000;
    if (clock.now().getTime() >= until) return {};
    return {
      bankChangeHold: { userId: seller.userId, changedAt: seller.bankChangedAt, until: new Date(until).toISOString() },
    };
  }

  /** What the request's kind carries, checked as it is made: the seller must be payable, a run must have lines. */
  async function factsOf(input: NewRequest): Promise<KindFacts> {
    const missing = (what: ErrorParams['request_incomplete']['missing']) =>
      new AppError('request_incomplete', { kind: input.kind, missing: what });
    switch (input.kind) {
      case 'topup':
        return { kind: 'topup', statementDescriptor: input.statementDescriptor ?? null };
      case 'transfer':
      case 'plan': {
        if (!input.sellerUserId) throw missing('seller');
        const seller = await payableSeller(input.teamId, input.sellerUserId);
        return {
          kind: input.kind,
          destination: {
            userId: seller.userId,
            accountId: seller.accountId,
            ...(seller.displayName ? { name: seller.displayName } : {}),
          },
          ...bankChangeHold(seller),
        };
      }
      case 'schedule':
      case 'resume':
        if (!input.schedule) throw missing('schedule');
        return { kind: input.kind, schedule: input.schedule };
      case 'run':
        if (!input.run) throw missing('lines');
        return { kind: 'run', run: summarizeRun(input.run) };
      case 'unfreeze':
        if (!input.unfreeze) throw missing('scope');
        return { kind: 'unfreeze', unfreeze: input.unfreeze };
      case 'funding':
        return { kind: 'funding' };
      case 'override':
        throw missing('payment');
    }
  }

  /** What the approval policy applies to: a single amount, a run's totals, or (run schedules) the plan's totals. */
  async function amountsOf(input: NewRequest): Promise<Money[]> {
    if (input.run) return totalsOf(input.run.lines);
    if (input.schedule?.action === 'run') return totalsOf(unpausedLines(await deps.plan.list(input.teamId)));
    const money = input.money ?? input.schedule?.money;
    return money ? [money] : [];
  }

  /** An unfreeze moves no money: any requester or approver may ask, and two approvers decide. */
  async function validateUnfreeze(input: NewRequest, scope: FreezeScope) {
    if (!(await access.isStaff(input.requestedBy))) throw new AppError('not_staff', { to: 'unfreeze' });
    const facts: KindFacts = { kind: 'unfreeze', unfreeze: scope };
    return {
      money: { amount: 0, currency: scope.kind === 'currency' ? scope.currency : 'usd' },
      totals: [],
      facts,
      available: null,
      balance: undefined,
    };
  }

  /** An override names a payment a daily limit holds now; it moves no money of its own, and two approvers decide. */
  async function validateOverride(input: NewRequest, payoutRef: string) {
    if (!(await access.isStaff(input.requestedBy))) throw new AppError('not_staff', { to: 'override' });
    const hold = await deps.heldByLimit(payoutRef);
    if (!hold) throw new AppError('not_held', { payoutRef });
    const facts: KindFacts = { kind: 'override', override: { payoutRef, accountId: hold.accountId } };
    return { money: hold.money, totals: [], facts, available: null, balance: undefined };
  }

  async function validate(input: NewRequest) {
    if (input.unfreeze) return validateUnfreeze(input, input.unfreeze);
    if (input.override) return validateOverride(input, input.override);
    if (!(await access.has(input.requestedBy, 'requester'))) {
      throw new AppError('not_requester', {});
    }
    const totals = await amountsOf(input);
    const headline = [...totals].sort((a, b) => b.amount - a.amount)[0];
    if (!headline) throw new AppError('nothing_to_pay', {});
    for (const money of input.run
      ? input.run.lines.map((l) => l.money)
      : input.schedule?.action === 'run'
        ? []
        : totals) {
      const max = exceedsMaximum(money, deps.policy.maxima);
      if (max !== undefined)
        throw new AppError('over_maximum', {
          max: { amount: max, currency: money.currency },
          per: input.run ? 'payment' : 'request',
        });
    }
    const facts = await factsOf(input);
    const [platform, balance] = await Promise.all([deps.gateway.platformAccount(), deps.gateway.balance()]);
    const held = balance.available.map((b) => b.currency);
    const topsUp = input.kind === 'topup' || input.kind === 'funding' || input.schedule?.action === 'topup';
    for (const { currency } of totals) {
      if (topsUp && currency !== platform.defaultCurrency) {
        throw new AppError('topup_currency', { currency, platformCurrency: platform.defaultCurrency });
      }
      if (!topsUp && !held.includes(currency)) {
        throw new AppError('currency_not_held', { currency, held });
      }
    }
    const available = balance.available.find((b) => b.currency === headline.currency) ?? null;
    return { money: headline, totals, facts, available, balance: balance.available };
  }

  /** The decision shared by approve and reject: is this person allowed to act on this request right now? */
  function refusal(
    request: PayoutRequest | undefined,
    userId: string,
    isApprover: boolean,
    runPaysThem: boolean,
  ): ClickResult | undefined {
    if (!request) return { outcome: 'refused', request, refusal: { code: 'request_unknown', params: {} } };
    if (!isApprover) return { outcome: 'refused', request, refusal: { code: 'not_approver', params: {} } };
    if (request.state !== 'pending') return { outcome: 'unchanged', request, refusal: decisionOf(request) };
    if (request.requestedBy === userId)
      return { outcome: 'refused', request, refusal: { code: 'own_request', params: {} } };
    if (pays(request, userId, runPaysThem))
      return { outcome: 'refused', request, refusal: { code: 'pays_you', params: {} } };
    return undefined;
  }

  /** Best effort: a card without fresh funds still shows the last ones, and a click is never refused for it. */
  const fundsOf = async (
    request: Pick<PayoutRequest, 'kind' | 'totals'> & { accountId: string | null },
    available?: Money[],
  ): Promise<{ funds?: FundsCheck; limitsLeft?: LimitLeft[] }> => {
    if (!TAKES_FUNDS.has(request.kind)) return {};
    const [funds, limitsLeft] = await Promise.all([
      deps.funds(request.totals, available).catch(() => undefined),
      deps.limitsLeft(request.totals, request.accountId).catch(() => undefined),
    ]);
    return { ...(funds ? { funds } : {}), ...(limitsLeft?.length ? { limitsLeft } : {}) };
  };

  const isExpired = (request: PayoutRequest) =>
    request.state === 'pending' && Date.parse(request.expiresAt) <= clock.now().getTime();

  async function expire(request: PayoutRequest): Promise<ClickResult> {
    const result = await store.transition(
      request.id,
      (r) => (isExpired(r) ? { ...r, state: 'expired', updatedAt: nowIso() } : undefined),
      { actor: 'system', action: 'request.expired' },
    );
    if (result?.changed) await deps.notifier.finished(result.after);
    return {
      outcome: 'unchanged',
      request: result?.after ?? request,
      refusal: { code: 'request_expired', params: {} },
    };
  }

  /**
   * One click as one atomic transition: the shared checks (expired? an approver? still pending? not the requester?),
   * then `apply` decides the new request or a refusal. A concurrent click makes the store re-read and decide again.
   */
  async function decide(
    id: string,
    userId: string,
    audit: { actor: string; action: string; detail?: string },
    apply: (current: PayoutRequest) => PayoutRequest | ClickResult,
  ): Promise<ClickResult | { decided: PayoutRequest }> {
    const [isApprover, runPaysThem] = await Promise.all([access.has(userId, 'approver'), store.runPays(id, userId)]);
    let refused: ClickResult | undefined;
    const result = await store.transition(
      id,
      (current) => {
        refused = undefined;
        if (isExpired(current)) return undefined;
        const next = refusal(current, userId, isApprover, runPaysThem) ?? apply(current);
        if ('outcome' in next) refused = next;
        return refused ? undefined : (next as PayoutRequest);
      },
      audit,
    );
    if (!result) return refusal(undefined, userId, isApprover, false)!;
    if (refused) return refused;
    if (isExpired(result.after)) return expire(result.after);
    return { decided: result.after };
  }

  return {
    async create(input) {
      const { money, totals, facts, available, balance } = await validate(input);
      // The balance validate() just read: one Stripe call per request, not two.
      const { funds, limitsLeft } = await fundsOf(
        { kind: input.kind, totals, accountId: payeeAccountOf(facts) },
        balance,
      );
      const replaces =
        facts.kind === 'plan' ? (await deps.plan.get(input.teamId, facts.destination.userId))?.money : undefined;
      const held = facts.kind === 'transfer' || facts.kind === 'plan' ? facts.bankChangeHold : undefined;
      const at = clock.now();
      const base: RequestBase = {
        id: newId('req', at.getTime()),
        teamId: input.teamId,
        requestedBy: input.requestedBy,
        requestedAt: at.toISOString(),
        money,
        totals,
        description: input.description,
        availableAtRequest: available,
        state: 'pending',
        requiredApprovals:
          input.unfreeze || input.override
            ? 2
            : (totals.some((t) => requiredApprovals(t, deps.policy.thresholds) === 2) ? 2 : 1) + (held ? 1 : 0),
        approvals: [],
        rejection: null,
        expiresAt: new Date(at.getTime() + deps.policy.approvalTtlSeconds * 1000).toISOString(),
        executingSince: null,
        attempts: 0,
        stripeId: null,
        resultRef: null,
        failure: null,
        settlement: null,
        amountReversed: 0,
        message: null,
        updatedAt: at.toISOString(),
      };
      const request: PayoutRequest =
        facts.kind === 'transfer' || facts.kind === 'run'
          ? { ...base, ...facts, funds: funds ?? null, ...(limitsLeft ? { limitsLeft } : {}) }
          : facts.kind === 'plan' && replaces
            ? { ...base, ...facts, replaces }
            : { ...base, ...facts };
      await store.create(request, input.requestedBy, input.run?.lines);
      let posted: PayoutRequest;
      try {
        const message = await deps.notifier.posted(request);
        const attached = await store.transition(request.id, (r) => ({ ...r, message }), {
          actor: 'system',
          action: 'request.posted',
        });
        posted = attached?.after ?? request;
      } catch (error) {
        // Nobody can approve a request nobody can see: withdraw it rather than leave it half-made.
        await store.transition(
          request.id,
          (r) =>
            r.state === 'pending'
              ? {
                  ...r,
                  state: 'rejected',
                  rejection: { userId: 'system', reason: 'the approval message could not be posted', at: nowIso() },
                  updatedAt: nowIso(),
                }
              : undefined,
          { actor: 'system', action: 'request.withdrawn' },
        );
        throw new AppError('not_posted', {}, { cause: error });
      }
      await deps.reminders.schedule(posted);
      return posted;
    },

    async approve(id, userId) {
      const current = await store.get(id);
      const refreshed = current
        ? await fundsOf({ kind: current.kind, totals: current.totals, accountId: payeeAccountOf(current) })
        : {};
      const decided = await decide(id, userId, { actor: userId, action: 'request.approval' }, (current) => {
        if (current.approvals.some((a) => a.userId === userId)) {
          return { outcome: 'unchanged', request: current, refusal: { code: 'approved_already', params: {} } };
        }
        const approvals = [...current.approvals, { userId, at: nowIso() }];
        return {
          ...current,
          ...refreshed,
          approvals,
          state: approvals.length >= current.requiredApprovals ? 'approved' : 'pending',
          updatedAt: nowIso(),
        };
      });
      if ('outcome' in decided) return decided;
      const request = decided.decided;
      // Queue before telling anyone: should this process die here, the sweeper still finds the request approved.
      if (request.state === 'approved') await deps.queue.enqueue({ kind: 'request', requestId: request.id });
      await deps.notifier.changed(request);
      return { outcome: request.state === 'approved' ? 'approved' : 'awaiting_second', request };
    },

    async reject(id, userId, reason) {
      const decided = await decide(
        id,
        userId,
        { actor: userId, action: 'request.rejected', detail: reason },
        (current) => ({
          ...current,
          state: 'rejected',
          rejection: { userId, reason, at: nowIso() },
          updatedAt: nowIso(),
        }),
      );
      if ('outcome' in decided) return decided;
      await deps.notifier.finished(decided.decided);
      return { outcome: 'rejected', request: decided.decided };
    },

    async canDecide(id, userId) {
      const request = await store.get(id);
      if (request && isExpired(request)) return expire(request);
      const [isApprover, runPaysThem] = await Promise.all([
        access.has(userId, 'approver'),
        request?.kind === 'run' && store.runPays(id, userId),
      ]);
      return refusal(request, userId, isApprover, runPaysThem);
    },

    get: (id) => store.get(id),

    async waitingFor(userId) {
      return (await access.has(userId, 'approver')) ? decidableBy(await store.open(), userId) : [];
    },

    async homeLists(userId) {
      const [isApprover, isRequester] = await Promise.all([
        access.has(userId, 'approver'),
        access.has(userId, 'requester'),
      ]);
      if (!isApprover && !isRequester) return {};
      const open = await store.open();
      return {
        ...(isApprover ? { waiting: await decidableBy(open, userId) } : {}),
        ...(isRequester ? { mine: open.filter((r) => r.requestedBy === userId).reverse() } : {}),
      };
    },
  };

  /** The open requests an approver may decide now: pending, not expired, not approved by them, not refused to them. */
  async function decidableBy(open: PayoutRequest[], userId: string): Promise<PayoutRequest[]> {
    const undecided = open.filter(
      (r) => r.state === 'pending' && !isExpired(r) && !r.approvals.some((a) => a.userId === userId),
    );
    const runPaysThem = await Promise.all(undecided.map((r) => r.kind === 'run' && store.runPays(r.id, userId)));
    return undecided.filter((r, i) => !refusal(r, userId, true, runPaysThem[i]!));
  }
}
