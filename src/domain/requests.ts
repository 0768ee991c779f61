import type { AccessPolicy } from './access.js';
import type { Clock } from './clock.js';
import { AppError } from './errors.js';
import { newId } from './ids.js';
import { formatMoney, totalsOf, type CurrencyAmounts, type Money } from './money.js';
import { exceedsMaximum, requiredApprovals } from './policy.js';
import type { PaymentQueue, MoneyGateway, PlanStore, RequestNotifier, RequestStore, SellerStore } from './ports.js';
import { unpausedLines } from './payouts.types.js';
import type { FreezeScope, LimitHold, LimitLeft } from './controls.types.js';
import type { FundsCheck, PayoutRequest, RequestKind, ScheduleDraft } from './requests.types.js';
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
  policy: { thresholds: CurrencyAmounts; maxima: CurrencyAmounts; approvalTtlSeconds: number; bankChangeHoldHours: number };
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
  run?: NonNullable<PayoutRequest['run']>;
  /** unfreeze: the freeze to lift. */
  unfreeze?: FreezeScope;
  /** override: the reference of the payment a daily limit holds. */
  override?: string;
}

/** What a click did. `refused` and `unchanged` leave the request exactly as it was. */
export type ClickResult =
  | { outcome: 'approved' | 'awaiting_second' | 'rejected' | 'expired'; request: PayoutRequest }
  | { outcome: 'unchanged' | 'refused'; request: PayoutRequest | undefined; message: string };

const STATE_WORDS: Record<PayoutRequest['state'], string> = {
  pending: 'still pending',
  approved: 'already approved',
  executing: 'already approved and being paid',
  completed: 'already done',
  failed: 'already approved, and it failed',
  rejected: 'already rejected',
  expired: 'expired',
};

export function describeDecision(request: PayoutRequest): string {
  if (request.state === 'rejected' && request.rejection) return `already rejected by <@${request.rejection.userId}>`;
  if (request.state === 'expired') return 'expired';
  const by = request.approvals.map((a) => `<@${a.userId}>`).join(' and ');
  return by ? `${STATE_WORDS[request.state]} (approved by ${by})` : STATE_WORDS[request.state];
}

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
  /** This person's requests not yet in a final state, newest first. */
  openBy(userId: string): Promise<PayoutRequest[]>;
}

export function createRequestService(deps: RequestServiceDeps): RequestService {
  const { store, clock, access } = deps;
  const nowIso = () => clock.now().toISOString();

  const currencyList = (codes: string[]) => codes.map((c) => c.toUpperCase()).join(', ') || 'no balance yet';

  async function payableSeller(teamId: string, userId: string | undefined): Promise<Seller> {
    const seller = userId ? await deps.sellers.get(teamId, userId) : undefined;
    if (!seller) throw new AppError('seller_unknown', `<@${userId}> is not a seller yet. Invite them first with \`/payout invite\`.`);
    if (seller.state === 'disconnected') {
      throw new AppError('seller_disconnected', `<@${seller.userId}> disconnected their Stripe account from us, so they cannot be paid. They can connect again through a new \`/payout invite\`.`);
    }
    if (seller.state !== 'payable') {
      throw new AppError('seller_not_payable', `<@${seller.userId}> cannot be paid yet: their Stripe onboarding is not complete (transfers are ${seller.transfersCapability}).`);
    }
    return seller;
  }

  /** A bank account changed just before a payment is the classic account-takeover pattern: one more pair of eyes while it is fresh. */
  function bankChangeHold(seller: Seller | null): string | undefined {
    if (!seller?.bankChangedAt) return undefined;
    const until = Date.parse(seller.bankChangedAt) + deps.policy.bankChangeHoldHours * 3_600_000;
    if (clock.now().getTime() >= until) return undefined;
    return `<@${seller.userId}>'s bank account changed at ${seller.bankChangedAt.slice(0, 16).replace('T', ' ')} UTC (held until ${new Date(until).toISOString().slice(0, 16).replace('T', ' ')} UTC)`;
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
    if (!(await access.isStaff(input.requestedBy))) throw new AppError('not_staff', 'Only payout requesters and approvers may ask to unfreeze payouts.');
    return { money: { amount: 0, currency: scope.kind === 'currency' ? scope.currency : 'usd' }, totals: [], destination: null, available: null, balance: undefined, extraApprovalReason: undefined };
  }

  /** An override names a payment a daily limit holds now; it moves no money of its own, and two approvers decide. */
  async function validateOverride(input: NewRequest, payoutRef: string) {
    if (!(await access.isStaff(input.requestedBy))) throw new AppError('not_staff', 'Only payout requesters and approvers may ask to override a daily limit.');
    const hold = await deps.heldByLimit(payoutRef);
    if (!hold) throw new AppError('not_held', `\`${payoutRef}\` is not waiting on a daily limit (it may have gone out already).`);
    return { money: hold.money, totals: [], destination: null, available: null, balance: undefined, extraApprovalReason: undefined, override: { payoutRef, accountId: hold.accountId } };
  }

  async function validate(input: NewRequest) {
    if (input.unfreeze) return validateUnfreeze(input, input.unfreeze);
    if (input.override) return validateOverride(input, input.override);
    if (!(await access.has(input.requestedBy, 'requester'))) {
      throw new AppError('not_requester', "You're not on the list of people who may request payouts. Ask your finance lead to add you.");
    }
    const totals = await amountsOf(input);
    const headline = [...totals].sort((a, b) => b.amount - a.amount)[0];
    if (!headline) throw new AppError('nothing_to_pay', 'There is nothing to pay: the payout plan is empty. Add sellers with `/payout plan @seller <amount> <currency>`.');
    for (const money of input.run ? input.run.lines.map((l) => l.money) : input.schedule?.action === 'run' ? [] : totals) {
      const max = exceedsMaximum(money, deps.policy.maxima);
      if (max !== undefined) throw new AppError('over_maximum', `The most a single ${input.run ? 'payment' : 'request'} may be is ${formatMoney({ amount: max, currency: money.currency })}.`);
    }
    const seller = input.kind === 'transfer' || input.kind === 'plan' ? await payableSeller(input.teamId, input.sellerUserId) : null;
    const destination = seller ? { userId: seller.userId, accountId: seller.accountId } : null;
    const [platform, balance] = await Promise.all([deps.gateway.platformAccount(), deps.gateway.balance()]);
    const held = balance.available.map((b) => b.currency);
    const topsUp = input.kind === 'topup' || input.kind === 'funding' || input.schedule?.action === 'topup';
    for (const { currency } of totals) {
      if (topsUp && currency !== platform.defaultCurrency) {
        throw new AppError('topup_currency', `Top-ups are made in the platform's own currency (${platform.defaultCurrency.toUpperCase()}), not ${currency.toUpperCase()}.`);
      }
      if (!topsUp && !held.includes(currency)) {
        throw new AppError('currency_not_held', `The platform holds no ${currency.toUpperCase()} balance. It holds ${currencyList(held)}.`);
      }
    }
    const available = balance.available.find((b) => b.currency === headline.currency) ?? null;
    return { money: headline, totals, destination, available, balance: balance.available, extraApprovalReason: bankChangeHold(seller) };
  }

  /** The decision shared by approve and reject: is this person allowed to act on this request right now? */
  function refusal(request: PayoutRequest | undefined, userId: string, isApprover: boolean): ClickResult | undefined {
    if (!request) return { outcome: 'refused', request, message: 'I could not find that request.' };
    if (!isApprover) return { outcome: 'refused', request, message: "Sorry, you're not on the list of approvers, so this click changed nothing." };
    if (request.state !== 'pending') return { outcome: 'unchanged', request, message: `This request is ${describeDecision(request)}.` };
    if (request.requestedBy === userId) return { outcome: 'refused', request, message: 'You asked for this one, so someone else has to approve or reject it.' };
    if (request.destination?.userId === userId || request.run?.lines.some((l) => l.userId === userId)) {
      return { outcome: 'refused', request, message: 'This one pays you, so someone else has to approve or reject it.' };
    }
    return undefined;
  }

  /** Best effort: a card without fresh funds still shows the last ones, and a click is never refused for it. */
  const fundsOf = async (request: Pick<PayoutRequest, 'kind' | 'totals' | 'destination'>, available?: Money[]): Promise<{ funds?: FundsCheck; limitsLeft?: LimitLeft[] }> => {
    if (!TAKES_FUNDS.has(request.kind)) return {};
    const [funds, limitsLeft] = await Promise.all([deps.funds(request.totals, available).catch(() => undefined), deps.limitsLeft(request.totals, request.destination?.accountId ?? null).catch(() => undefined)]);
    return { ...(funds ? { funds } : {}), ...(limitsLeft?.length ? { limitsLeft } : {}) };
  };

  const isExpired = (request: PayoutRequest) => request.state === 'pending' && Date.parse(request.expiresAt) <= clock.now().getTime();

  async function expire(request: PayoutRequest): Promise<ClickResult> {
    const result = await store.transition(request.id, (r) => (isExpired(r) ? { ...r, state: 'expired', updatedAt: nowIso() } : undefined), { actor: 'system', action: 'request.expired' });
    if (result?.changed) await deps.notifier.finished(result.after);
    return { outcome: 'unchanged', request: result?.after ?? request, message: 'This request has expired; nothing was paid. Ask for it again if it is still needed.' };
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
    const isApprover = await access.has(userId, 'approver');
    let refused: ClickResult | undefined;
    const result = await store.transition(
      id,
      (current) => {
        refused = undefined;
        if (isExpired(current)) return undefined;
        const next = refusal(current, userId, isApprover) ?? apply(current);
        if ('outcome' in next) refused = next;
        return refused ? undefined : (next as PayoutRequest);
      },
      audit,
    );
    if (!result) return refusal(undefined, userId, isApprover)!;
    if (refused) return refused;
    if (isExpired(result.after)) return expire(result.after);
    return { decided: result.after };
  }

  return {
    async create(input) {
      const validated = await validate(input);
      const { money, totals, destination, available, balance, extraApprovalReason } = validated;
      // The balance validate() just read: one Stripe call per request, not two.
      const { funds, limitsLeft } = await fundsOf({ kind: input.kind, totals, destination }, balance);
      const replaces = input.kind === 'plan' && destination ? (await deps.plan.get(input.teamId, destination.userId))?.money : undefined;
      const at = clock.now();
      const request: PayoutRequest = {
        id: newId('req', at.getTime()),
        kind: input.kind,
        teamId: input.teamId,
        requestedBy: input.requestedBy,
        requestedAt: at.toISOString(),
        money,
        totals,
        description: input.description,
        statementDescriptor: input.statementDescriptor ?? null,
        destination,
        availableAtRequest: available,
        funds: funds ?? null,
        ...(limitsLeft ? { limitsLeft } : {}),
        schedule: input.schedule ?? null,
        run: input.run ?? null,
        ...(input.unfreeze ? { unfreeze: input.unfreeze } : {}),
        ...('override' in validated ? { override: validated.override } : {}),
        ...(replaces ? { replaces } : {}),
        state: 'pending',
        requiredApprovals: input.unfreeze || input.override ? 2 : (totals.some((t) => requiredApprovals(t, deps.policy.thresholds) === 2) ? 2 : 1) + (extraApprovalReason ? 1 : 0),
        ...(extraApprovalReason ? { extraApprovalReason } : {}),
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
      await store.create(request, input.requestedBy);
      let posted: PayoutRequest;
      try {
        const message = await deps.notifier.posted(request);
        const attached = await store.transition(request.id, (r) => ({ ...r, message }), { actor: 'system', action: 'request.posted' });
        posted = attached?.after ?? request;
      } catch (error) {
        // Nobody can approve a request nobody can see: withdraw it rather than leave it half-made.
        await store.transition(request.id, (r) => (r.state === 'pending' ? { ...r, state: 'rejected', rejection: { userId: 'system', reason: 'the approval message could not be posted', at: nowIso() }, updatedAt: nowIso() } : undefined), { actor: 'system', action: 'request.withdrawn' });
        throw new AppError('not_posted', 'I could not post the approval request to the approvals channel, so nothing was requested. Please try again in a minute.', { cause: error });
      }
      await deps.reminders.schedule(posted);
      return posted;
    },

    async approve(id, userId) {
      const current = await store.get(id);
      const refreshed = current ? await fundsOf(current) : {};
      const decided = await decide(id, userId, { actor: userId, action: 'request.approval' }, (current) => {
        if (current.approvals.some((a) => a.userId === userId)) {
          return { outcome: 'unchanged', request: current, message: 'You already approved this request; it needs a second, different approver.' };
        }
        const approvals = [...current.approvals, { userId, at: nowIso() }];
        return { ...current, ...refreshed, approvals, state: approvals.length >= current.requiredApprovals ? 'approved' : 'pending', updatedAt: nowIso() };
      });
      if ('outcome' in decided) return decided;
      const request = decided.decided;
      // Queue before telling anyone: should this process die here, the sweeper still finds the request approved.
      if (request.state === 'approved') await deps.queue.enqueue({ kind: 'request', requestId: request.id });
      await deps.notifier.changed(request);
      return { outcome: request.state === 'approved' ? 'approved' : 'awaiting_second', request };
    },

    async reject(id, userId, reason) {
      const decided = await decide(id, userId, { actor: userId, action: 'request.rejected', detail: reason }, (current) => ({
        ...current,
        state: 'rejected',
        rejection: { userId, reason, at: nowIso() },
        updatedAt: nowIso(),
      }));
      if ('outcome' in decided) return decided;
      await deps.notifier.finished(decided.decided);
      return { outcome: 'rejected', request: decided.decided };
    },

    async canDecide(id, userId) {
      const request = await store.get(id);
      if (request && isExpired(request)) return expire(request);
      return refusal(request, userId, await access.has(userId, 'approver'));
    },

    get: (id) => store.get(id),

    async waitingFor(userId) {
      if (!(await access.has(userId, 'approver'))) return [];
      return (await store.open()).filter((r) => r.state === 'pending' && !isExpired(r) && !refusal(r, userId, true) && !r.approvals.some((a) => a.userId === userId));
    },

    async openBy(userId) {
      return (await store.open()).filter((r) => r.requestedBy === userId).reverse();
    },

  };
}
