import type { Clock } from './clock.js';
import { AppError } from './errors.js';
import { formatMoney } from './money.js';
import type { ExecutionQueue, MoneyGateway, RequestNotifier, RequestStore } from './ports.js';
import { MONEY_MOVING_KINDS, stripeIdempotencyKey, type PayoutRequest } from './requests.types.js';

/** Stripe keeps idempotency keys for about 24 hours; past this, look for what an earlier attempt created before trying again. */
export const IDEMPOTENCY_WINDOW_MS = 23 * 3_600_000;

/** Carries out an approved request that moves no money itself (plan, schedule, resume, run); returns what it made. */
export type RecordEffect = (request: PayoutRequest) => Promise<string>;

export interface ExecutionDeps {
  applyRecord: RecordEffect;
  gateway: MoneyGateway;
  store: RequestStore;
  queue: ExecutionQueue;
  notifier: RequestNotifier;
  clock: Clock;
}

export type ExecutionResult = 'completed' | 'failed' | 'skipped';

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
  /** A top-up or transfer's later fate from Stripe's webhooks. */
  settle(requestId: string, stripeId: string, settlement: NonNullable<PayoutRequest['settlement']>, reason?: string): Promise<boolean>;
}

/** What to do after each kind of permanent failure, in words for the requester. */
async function explainFailure(error: AppError, request: PayoutRequest, gateway: MoneyGateway): Promise<string> {
  if (error.code === 'stripe_balance_insufficient') {
    const balance = await gateway.balance().catch(() => undefined);
    const available = balance?.available.find((b) => b.currency === request.money.currency);
    const have = available ? formatMoney(available) : 'unknown';
    return `The platform balance is too low: ${have} available, ${formatMoney(request.money)} needed. Top it up (\`/payout topup\`) and request this again.`;
  }
  if (error.code === 'stripe_insufficient_capabilities_for_transfer') {
    return 'The seller can no longer receive transfers (their Stripe account is restricted). Ask them to finish onboarding (`/payout invite` sends a fresh link), then request this again.';
  }
  return error.userMessage;
}

export function createExecutionService(deps: ExecutionDeps): ExecutionService {
  const { store, gateway, clock } = deps;
  const nowIso = () => clock.now().toISOString();

  async function callStripe(request: PayoutRequest): Promise<string> {
    const firstAttempt = request.firstAttemptAt ? new Date(request.firstAttemptAt) : clock.now();
    if (clock.now().getTime() - firstAttempt.getTime() > IDEMPOTENCY_WINDOW_MS) {
      const existing = await gateway.findCreated(request.kind, request.id, new Date(firstAttempt.getTime() - 3_600_000));
      if (existing) return existing;
    }
    const key = stripeIdempotencyKey(request);
    const input = { money: request.money, description: request.description, requestId: request.id };
    if (request.kind === 'transfer') {
      if (!request.destination) throw new AppError('no_destination', 'This transfer has no seller.');
      return (await gateway.createTransfer({ ...input, destinationAccountId: request.destination.accountId }, key)).id;
    }
    return (await gateway.createTopup({ ...input, statementDescriptor: request.statementDescriptor }, key)).id;
  }

  return {
    async execute(requestId) {
      // Approved → executing, or executing again after a crash or stall: the idempotency key makes the second call a replay.
      const started = await store.transition(
        requestId,
        (r) =>
          r.state === 'approved' || r.state === 'executing'
            ? { ...r, state: 'executing', attempts: r.attempts + 1, firstAttemptAt: r.firstAttemptAt ?? nowIso(), executingSince: nowIso(), updatedAt: nowIso() }
            : undefined,
        { actor: 'system', action: 'request.executing' },
      );
      if (!started?.changed) return 'skipped';
      const request = started.after;
      if (started.before.state === 'approved') await deps.notifier.changed(request);

      const moves = MONEY_MOVING_KINDS.has(request.kind);
      let reference: string;
      try {
        reference = moves ? await callStripe(request) : await deps.applyRecord(request);
      } catch (error) {
        if (!(error instanceof AppError) || error.retryable) throw error;
        const message = await explainFailure(error, request, gateway);
        const failed = await store.transition(
          requestId,
          (r) => (r.state === 'executing' ? { ...r, state: 'failed', failure: { code: error.code, message }, executingSince: null, updatedAt: nowIso() } : undefined),
          { actor: 'system', action: 'request.failed', detail: error.code },
        );
        if (failed?.changed) await deps.notifier.finished(failed.after);
        return 'failed';
      }
      const done = await store.transition(
        requestId,
        (r) =>
          r.state === 'executing'
            ? { ...r, state: 'completed', ...(moves ? { stripeId: reference } : { resultRef: reference }), executingSince: null, settlement: r.kind === 'topup' ? 'pending' : null, updatedAt: nowIso() }
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
          const result = await store.transition(request.id, (r) => (r.state === 'pending' && Date.parse(r.expiresAt) <= now ? { ...r, state: 'expired', updatedAt: nowIso() } : undefined), { actor: 'system', action: 'request.expired' });
          if (result?.changed) {
            expired++;
            await deps.notifier.finished(result.after);
          }
        } else if (
          (request.state === 'approved' && since(request.updatedAt) >= options.approvedGraceMs) ||
          (request.state === 'executing' && since(request.executingSince) >= options.executingTimeoutMs)
        ) {
          await deps.queue.requeue(request.id);
          requeued++;
        }
      }
      return { expired, requeued };
    },

    async settle(requestId, stripeId, settlement, reason) {
      const result = await store.transition(
        requestId,
        (r) =>
          r.stripeId === stripeId && r.settlement !== settlement
            ? { ...r, settlement, ...(reason ? { failure: { code: `settlement_${settlement}`, message: reason } } : {}), updatedAt: nowIso() }
            : undefined,
        { actor: 'stripe', action: `request.${settlement}`, ...(reason ? { detail: reason } : {}) },
      );
      if (!result?.changed) return false;
      await deps.notifier.settled(result.after);
      return true;
    },
  };
}
