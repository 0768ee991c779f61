import type { Clock } from './clock.js';
import { WAITING_CODES } from './controls.js';
import { AppError, hasCode, type Problem } from './errors.js';
import { formatMoney, type Money } from './money.js';
import type { PaymentInstruction, PaymentKind, PaymentRef, StripeState, StripeTags } from './payments.types.js';
import type { MoneyGateway, PaymentAttempts, PaymentGuard, PaymentLedger } from './ports.js';

const TAGS: Record<PaymentKind, string> = {
  request: 'rq',
  'run-line': 'rl',
  'scheduled-topup': 'st',
  'auto-topup': 'at',
};
const KINDS = new Map(Object.entries(TAGS).map(([kind, tag]) => [tag, kind as PaymentKind]));
const ID = /^[A-Za-z0-9_-]+$/;

/** `pay_rq.req_…`, `pay_rl.<run id>.<line key>`, `pay_st.<period key>`, `pay_at.<currency>-<day>`: no `:` (BullMQ job ids), readable in Stripe's Dashboard. */
export function paymentRef(ref: PaymentRef): string {
  const parts =
    ref.kind === 'request'
      ? [ref.requestId]
      : ref.kind === 'run-line'
        ? [ref.runId, ref.lineKey]
        : ref.kind === 'scheduled-topup'
          ? [ref.periodKey]
          : [`${ref.currency}-${ref.day}`];
  if (!parts.every((part) => ID.test(part))) throw new AppError('bad_payment_ref', { parts });
  return `pay_${TAGS[ref.kind]}.${parts.join('.')}`;
}

/** The reference of a request's execution (and, for a top-up or transfer, of its payment). */
export const requestRef = (requestId: string): string => paymentRef({ kind: 'request', requestId });

/** The reference back from its string form (a job's data, a Stripe object's metadata); undefined when it is not one of ours. */
export function parsePaymentRef(text: string | null | undefined): PaymentRef | undefined {
  const match = /^pay_([a-z]{2})\.(.+)$/.exec(text ?? '');
  const kind = match ? KINDS.get(match[1]!) : undefined;
  const parts = match ? match[2]!.split('.') : [];
  if (!kind || !parts.every((part) => ID.test(part))) return undefined;
  if (kind === 'request' && parts.length === 1) return { kind, requestId: parts[0]! };
  if (kind === 'run-line' && parts.length === 2) return { kind, runId: parts[0]!, lineKey: parts[1]! };
  if (kind === 'scheduled-topup' && parts.length === 1) return { kind, periodKey: parts[0]! };
  const auto = kind === 'auto-topup' && parts.length === 1 ? /^([a-z]{3})-(\d{4}-\d{2}-\d{2})$/.exec(parts[0]!) : null;
  if (auto) return { kind: 'auto-topup', currency: auto[1]!, day: auto[2]! };
  return undefined;
}

export function stripeTags(ref: PaymentRef): StripeTags {
  const text = paymentRef(ref);
  return { idempotencyKey: text, transferGroup: text, metadata: { payout_ref: text, payout_kind: ref.kind } };
}

/** The BullMQ job that carries out this payment: one job per payment, however often it is queued. */
export const paymentJobId = (ref: PaymentRef): string => paymentRef(ref);

/** paid: Stripe has the object · failed: Stripe refused for good, with its code. A transient failure throws (retry). */
export type PaymentOutcome =
  | { status: 'paid'; stripeId: string; stripeRequestId: string | null; found: boolean }
  | { status: 'failed'; error: AppError };

/**
 * A permanent refusal as a record keeps it. A balance too low also says what the payment needed and, when the caller
 * read it, what was available: what a person needs to decide the top-up.
 */
export function refusalOf(error: AppError, needed: Money, available?: Money | null): Problem {
  if (!hasCode(error, 'stripe_balance_insufficient')) return error.problem;
  return { code: error.code, params: { ...error.params, needed, ...(available === undefined ? {} : { available }) } };
}

/** Stripe keeps idempotency keys for about 24 hours; past this, look for what an earlier attempt created before trying again. */
export const IDEMPOTENCY_WINDOW_MS = 23 * 3_600_000;

/** One structured log line per payment event; pino's signature. */
export interface PaymentLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface PaymentService {
  /** The one money path: calls Stripe once per reference (replays are Stripe's), sorts the outcome, logs it. */
  pay(ref: PaymentRef, instruction: PaymentInstruction): Promise<PaymentOutcome>;
}

export function createPaymentService(deps: {
  gateway: MoneyGateway;
  attempts: PaymentAttempts;
  ledger: Pick<PaymentLedger, 'recordPaid'>;
  guard: PaymentGuard;
  clock: Clock;
  log: PaymentLog;
}): PaymentService {
  const { gateway, clock, log } = deps;

  async function send(
    ref: PaymentRef,
    instruction: PaymentInstruction,
  ): Promise<{ id: string; requestId: string | null; found: boolean }> {
    const tags = stripeTags(ref);
    const now = clock.now();
    const firstAttempt = await deps.attempts.firstAttempt(tags.transferGroup, now);
    if (now.getTime() - firstAttempt.getTime() > IDEMPOTENCY_WINDOW_MS) {
      // Stripe may have forgotten the key: an earlier attempt's object is found by its group, never made twice.
      const existing = await gateway.findCreated(
        instruction.action,
        tags,
        new Date(firstAttempt.getTime() - 3_600_000),
      );
      if (existing) return { ...existing, found: true };
    }
    // The last thing before the write: a freeze or a daily limit makes the payment wait (a retryable error with a delay).
    await deps.guard.admit(ref, tags.transferGroup, instruction);
    const created =
      instruction.action === 'transfer'
        ? await gateway.createTransfer(
            {
              money: instruction.money,
              destinationAccountId: instruction.destinationAccountId,
              description: instruction.description,
            },
            tags,
          )
        : await gateway.createTopup(
            {
              money: instruction.money,
              description: instruction.description,
              statementDescriptor: instruction.statementDescriptor,
            },
            tags,
          );
    return { ...created, found: false };
  }

  return {
    async pay(ref, instruction) {
      const payoutRef = paymentRef(ref);
      const base = {
        payoutRef,
        action: instruction.action,
        amount: instruction.money.amount,
        currency: instruction.money.currency,
      };
      try {
        const sent = await send(ref, instruction);
        // Recorded before anyone is told: a crash here retries the job, Stripe replays, and the record is made then.
        await deps.ledger.recordPaid({
          payoutRef,
          kind: ref.kind,
          action: instruction.action,
          money: instruction.money,
          destinationAccountId: instruction.action === 'transfer' ? instruction.destinationAccountId : null,
          stripeId: sent.id,
          paidAt: clock.now().toISOString(),
          amountReversed: 0,
          topupStatus: instruction.action === 'topup' ? 'pending' : null,
        });
        log.info(
          { ...base, event: 'payment.paid', stripeId: sent.id, stripeRequestId: sent.requestId, found: sent.found },
          'payment made',
        );
        return { status: 'paid', stripeId: sent.id, stripeRequestId: sent.requestId, found: sent.found };
      } catch (error) {
        const appError = error instanceof AppError ? error : undefined;
        const fields = { ...base, code: appError?.code, stripeRequestId: appError?.options.stripeRequestId ?? null };
        if (appError && WAITING_CODES.has(appError.code)) {
          log.info({ ...fields, event: 'payment.waiting' }, appError.message);
          throw error;
        }
        if (!appError || appError.retryable) {
          // An AppError says enough (code, Stripe's request id); its cause holds Stripe's whole response, which stays out of the logs.
          log.warn(
            { ...fields, event: 'payment.retry', ...(appError ? { reason: appError.message } : { err: error }) },
            'payment will be tried again',
          );
          throw error;
        }
        log.warn({ ...fields, event: 'payment.failed' }, 'payment refused');
        // Refused for good: it no longer counts towards today's limits.
        await deps.guard.release(payoutRef);
        return { status: 'failed', error: appError };
      }
    },
  };
}

/** A transfer as Stripe shows it now, read as a reversal: fully or partly, and how much of what, for the audit. */
export function reversalOf(state: Extract<StripeState, { object: 'transfer' }>): {
  settlement: 'reversed' | 'partially_reversed';
  detail: string;
} {
  return {
    settlement: state.amountReversed >= state.amount.amount ? 'reversed' : 'partially_reversed',
    detail: `${formatMoney({ amount: state.amountReversed, currency: state.amount.currency })} of ${formatMoney(state.amount)} reversed`,
  };
}

type SettleHandlers = {
  [K in PaymentKind]: (ref: Extract<PaymentRef, { kind: K }>, state: StripeState) => Promise<boolean>;
};

/** The Stripe object a webhook names. */
export interface StripeObjectRef {
  object: StripeState['object'];
  id: string;
}

export type Settle = (ref: PaymentRef, changed: StripeObjectRef) => Promise<boolean>;

/**
 * One settle for every kind of payment: reads the object back from Stripe (its state now, whatever order the events
 * came in), then dispatches on the reference's kind. True when our records changed.
 */
export function createSettlement(
  gateway: Pick<MoneyGateway, 'readTopup' | 'readTransfer'>,
  handlers: SettleHandlers,
  ledger: Pick<PaymentLedger, 'recordState'>,
): Settle {
  return async (ref, changed) => {
    const state =
      changed.object === 'topup' ? await gateway.readTopup(changed.id) : await gateway.readTransfer(changed.id);
    await ledger.recordState(paymentRef(ref), state);
    return (handlers[ref.kind] as (ref: PaymentRef, state: StripeState) => Promise<boolean>)(ref, state);
  };
}
