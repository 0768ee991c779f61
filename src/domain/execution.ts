import type { Clock } from './clock.js';
import { WAITING_CODES } from './controls.js';
import { AppError, hasCode, type Problem } from './errors.js';
import { formatMoney, shortfallOf } from './money.js';
import { type PaymentService, refusalOf, reversalOf } from './payments.js';
import type { PaymentInstruction, StripeState } from './payments.types.js';
import type { MoneyGateway, PaymentQueue, RequestNotifier, RequestStore } from './ports.js';
import type { PayoutRequest, RequestOf, Settlement } from './requests.types.js';

/** A request that moves no money itself: its approval changes our own records (and may start a run). */
export type RecordRequest = Exclude<PayoutRequest, RequestOf<'topup' | 'transfer'>>;

/** Carries out an approved request that moves no money itself (plan, schedule, resume, run…); returns what it made. */
export type RecordEffect = (request: RecordRequest) => Promise<string>;

export interface ExecutionDeps {
  applyRecord: RecordEffect;
  payments: PaymentService;
  gateway: MoneyGateway;
  store: RequestStore;
  queue: PaymentQueue;
  notifier: RequestNotifier;
  clock: Clock;
}

export type ExecutionResult = 'completed' | 'failed' | 'held' | 'skipped';

export interface SweepOptions {
  /** Approved this long ago and still not executing: the enqueue was lost. */
  approvedGraceMs: number;
  /** Executing this long: the job stalled out or ran out of attempts. */
  executingTimeoutMs: number;
}

export interface ExecutionService {
  /** Runs an approved request once: approved → executing → completed | failed. Throws a retryable AppError for transient failures. */
  execute(requestId: string): Promise<ExecutionResult>;
  /** Expires overdue requests and re-queues stranded ones; returns what it did. */
  sweep(options: SweepOptions): Promise<{ expired: number; requeued: number }>;
  /** Records what Stripe now shows for the request's top-up or transfer; true when that changed our record. */
  settle(requestId: string, state: StripeState): Promise<boolean>;
}

/** A permanent failure as the request keeps it; a balance too low also says what was available, when it can be read. */
async function failureOf(error: AppError, request: PayoutRequest, gateway: MoneyGateway): Promise<Problem> {
  if (!hasCode(error, 'stripe_balance_insufficient')) return error.problem;
  const balance = await gateway.balance().catch(() => undefined);
  return refusalOf(error, request.money, balance?.available.find((b) => b.currency === request.money.currency) ?? null);
}

/** The audit entry of a settlement: the state Stripe shows, and for a reversal how much of what. */
function settlementAudit(state: StripeState): { action: string; detail?: string } {
  if (state.object === 'transfer') {
    return { action: 'request.reversed', detail: reversalOf(state).detail };
  }
  return { action: `request.${state.status}`, ...(state.failureMessage ? { detail: state.failureMessage } : {}) };
}

export function createExecutionService(deps: ExecutionDeps): ExecutionService {
  const { store, gateway, clock } = deps;
  const nowIso = () => clock.now().toISOString();

  function instruction(request: RequestOf<'topup' | 'transfer'>): PaymentInstruction {
    const { money, description } = request;
    if (request.kind === 'topup')
      return { action: 'topup', money, description, statementDescriptor: request.statementDescriptor };
    return { action: 'transfer', money, description, destinationAccountId: request.destination.accountId };
  }

  /** The money a request moves goes through the one money path; the other kinds change our records. */
  async function carryOut(request: PayoutRequest): Promise<{ stripeId: string } | { resultRef: string }> {
    if (request.kind !== 'topup' && request.kind !== 'transfer') return { resultRef: await deps.applyRecord(request) };
    const outcome = await deps.payments.pay({ kind: 'request', requestId: request.id }, instruction(request));
    if (outcome.status === 'failed') throw outcome.error;
    return { stripeId: outcome.stripeId };
  }

  /** What Stripe shows, in our words; undefined when it says nothing new about this request. */
  function settlementOf(
    request: PayoutRequest,
    state: StripeState,
  ): { settlement: Settlement; amountReversed: number; reason: string | null } | undefined {
    if (request.stripeId !== state.stripeId) return undefined;
    if (state.object === 'topup') return { settlement: state.status, amountReversed: 0, reason: state.failureMessage };
    if (state.amountReversed === 0) return undefined;
    return { settlement: reversalOf(state).settlement, amountReversed: state.amountReversed, reason: null };
  }

  /**
   * An approved transfer the balance cannot cover waits instead of failing (funds may be on their way), and Stripe is
   * not asked: a refusal would be kept under the payment's idempotency key. True when it waits.
   */
  async function holdWhenShort(requestId: string): Promise<boolean> {
    const request = await store.get(requestId);
    if (request?.kind !== 'transfer' || request.state !== 'approved') return false;
    const [short] = shortfallOf([request.money], (await gateway.balance()).available);
    if (!short) return false;
    const held = await store.transition(
      requestId,
      (r) =>
        r.kind === 'transfer' && r.state === 'approved' && r.heldForFunds?.short.amount !== short.amount
          ? { ...r, heldForFunds: { short, since: r.heldForFunds?.since ?? nowIso() }, updatedAt: nowIso() }
          : undefined,
      { actor: 'system', action: 'request.held', detail: `short by ${formatMoney(short)}` },
    );
    if (held?.changed) await deps.notifier.changed(held.after);
    return true;
  }

  /** Its card says why it waits (frozen, or the daily limit), not "Executing", until it is paid. */
  async function markWaiting(requestId: string, code: 'payments_frozen' | 'daily_limit'): Promise<void> {
    const waiting = await store.transition(
      requestId,
      (r) =>
        r.state === 'executing' && r.waitingOn?.code !== code
          ? { ...r, waitingOn: { code, since: nowIso() }, updatedAt: nowIso() }
          : undefined,
      { actor: 'system', action: 'request.waiting', detail: code },
    );
    if (waiting?.changed) await deps.notifier.changed(waiting.after);
  }

  return {
    async execute(requestId) {
      if (await holdWhenShort(requestId)) return 'held';
      // Approved → executing, or executing again after a crash or stall: the idempotency key makes the second call a replay.
      const started = await store.transition(
        requestId,
        (r) =>
          r.state === 'approved' || r.state === 'executing'
            ? { ...r, state: 'executing', attempts: r.attempts + 1, executingSince: nowIso(), updatedAt: nowIso() }
            : undefined,
        { actor: 'system', action: 'request.executing' },
      );
      if (!started?.changed) return 'skipped';
      const request = started.after;
      // The card says "executing" while the work starts, not before it: a run's first transfer need not wait for Slack.
      const shown = started.before.state === 'approved' ? deps.notifier.changed(request) : Promise.resolve();
      shown.catch(() => undefined); // awaited below; this only keeps an early failure from counting as unhandled

      let result: { stripeId: string } | { resultRef: string };
      try {
        result = await carryOut(request);
      } catch (error) {
        await shown;
        if (error instanceof AppError && WAITING_CODES.has(error.code))
          await markWaiting(requestId, error.code as 'payments_frozen' | 'daily_limit');
        if (!(error instanceof AppError) || error.retryable) throw error;
        const failure = await failureOf(error, request, gateway);
        const failed = await store.transition(
          requestId,
          (r) =>
            r.state === 'executing'
              ? { ...r, state: 'failed', failure, executingSince: null, updatedAt: nowIso() }
              : undefined,
          { actor: 'system', action: 'request.failed', detail: error.code },
        );
        if (failed?.changed) await deps.notifier.finished(failed.after);
        return 'failed';
      }
      await shown;
      const done = await store.transition(
        requestId,
        (r) =>
          r.state === 'executing'
            ? {
                ...r,
                state: 'completed',
                ...result,
                executingSince: null,
                ...(r.kind === 'transfer' ? { heldForFunds: null } : {}),
                waitingOn: null,
                settlement: r.kind === 'topup' ? 'pending' : null,
                updatedAt: nowIso(),
              }
            : undefined,
        { actor: 'system', action: 'request.completed' },
      );
      if (done?.changed) await deps.notifier.finished(done.after);
      return 'completed';
    },

    async sweep(options) {
      const now = clock.now().getTime();
      let expired = 0;
      let requeued = 0;
      for (const request of await store.open()) {
        const since = (iso: string | null) => now - Date.parse(iso ?? request.updatedAt);
        if (request.state === 'pending' && Date.parse(request.expiresAt) <= now) {
          const result = await store.transition(
            request.id,
            (r) =>
              r.state === 'pending' && Date.parse(r.expiresAt) <= now
                ? { ...r, state: 'expired', updatedAt: nowIso() }
                : undefined,
            { actor: 'system', action: 'request.expired' },
          );
          if (result?.changed) {
            expired++;
            await deps.notifier.finished(result.after);
          }
        } else if (
          (request.state === 'approved' && since(request.updatedAt) >= options.approvedGraceMs) ||
          (request.state === 'executing' && since(request.executingSince) >= options.executingTimeoutMs)
        ) {
          await deps.queue.requeue({ kind: 'request', requestId: request.id });
          requeued++;
        }
      }
      return { expired, requeued };
    },

    async settle(requestId, state) {
      const result = await store.transition(
        requestId,
        (r) => {
          const settled = settlementOf(r, state);
          if (!settled || (settled.settlement === r.settlement && settled.amountReversed === r.amountReversed))
            return undefined;
          const { settlement, amountReversed, reason } = settled;
          return {
            ...r,
            settlement,
            amountReversed,
            ...(reason ? { failure: { code: `settlement_${settlement}`, message: reason } } : {}),
            updatedAt: nowIso(),
          };
        },
        { actor: 'stripe', ...settlementAudit(state) },
      );
      if (!result?.changed) return false;
      await deps.notifier.settled(result.after);
      return true;
    },
  };
}
