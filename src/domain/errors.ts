import type { Money } from './money.types.js';
import type { RequestKind, RequestState } from './request-kinds.js';

/** What Stripe refused, as the adapter saw it: what we tried, Stripe's own code, and Stripe's words. */
interface StripeRefusal {
  action: string;
  stripeCode?: string;
  detail?: string;
}

/**
 * Every code the domain (and the adapters under it) may throw, with the facts each one carries. A new code is a new
 * line here; `src/slack/messages.ts` does not compile until it has words for it.
 */
export interface ErrorParams {
  currency_unknown: { currency: string };
  amount_invalid: { typed: string; problem: 'negative' | 'not_a_number' | 'too_large' | 'not_positive' };
  amount_too_precise:
    | { typed: string; currency: string; decimals: number; allowed: number; readings: Money[] }
    | { typed: string; currency: string; lastDigitNotZero: true };
  amounts_invalid: { part: string } | { listedTwice: string };
  text_too_long: { noun: 'description' | 'reason'; length: number; max: number };
  bad_payment_ref: { parts: string[] };

  not_requester: Record<string, never>;
  /** Asked for something only requesters and approvers may ask for. */
  not_staff: { to: 'unfreeze' | 'override' };
  /** An override named a payment no daily limit holds (it may have gone out already). */
  not_held: { payoutRef: string };
  nothing_to_pay: Record<string, never>;
  over_maximum: { max: Money; per: 'payment' | 'request' };
  topup_currency: { currency: string; platformCurrency: string };
  currency_not_held: { currency: string; held: string[] };
  /** A person named in a request, or the seller behind an onboarding or dashboard link. */
  seller_unknown: { userId: string } | { link: 'onboarding' | 'dashboard' };
  seller_disconnected: { userId: string };
  seller_not_payable: { userId: string; transfers: string };
  request_incomplete: { kind: RequestKind; missing: 'seller' | 'schedule' | 'lines' | 'scope' | 'payment' };
  not_posted: Record<string, never>;

  request_unknown: Record<string, never>;
  not_approver: Record<string, never>;
  request_decided: { state: RequestState; approvedBy: string[]; rejectedBy: string | null };
  request_expired: Record<string, never>;
  own_request: Record<string, never>;
  pays_you: Record<string, never>;
  approved_already: Record<string, never>;

  /** A schedule's `<when>` (src/domain/schedule-time.ts); `typed` is the word found in a part's place, if any. */
  when_kind: { typed?: string };
  when_weekday: { typed?: string };
  when_clock: { typed?: string };
  when_zone_missing: Record<string, never>;
  when_zone_unknown: { zone: string };
  when_cron_fields: Record<string, never>;
  /** `reason`: the cron parser's own words. */
  when_cron_invalid: { pattern: string; reason?: string };

  schedule_unknown: { scheduleId: string };
  schedule_state: { status: string; expected?: 'paused' };
  run_unknown: { runId: string };
  payments_frozen: { reason: string };
  daily_limit: { which: 'total' | 'seller'; limit: Money };
  auto_funding_off: Record<string, never>;
  csv_file: { status?: number };

  /** One line of a CSV batch (src/domain/payout-batch.ts). */
  line_not_csv: { csvCode: string };
  line_columns: { count: number };
  line_seller_ref: { ref: string };
  line_seller_unknown: { ref: string };
  line_seller_not_payable: { ref: string };
  line_currency_not_held: { currency: string; held: string[] };
  line_repeats: { first: number };
  batch_too_long: { max: number };

  stripe_unreachable: { action: string };
  stripe_rate_limited: { action: string };
  stripe_unavailable: { action: string };
  stripe_auth: Record<string, never>;
  stripe_idempotency: StripeRefusal;
  /** `needed` (and `available`, when it could be read) once the domain knows what the payment was for. */
  stripe_balance_insufficient: StripeRefusal & { needed?: Money; available?: Money | null };
  stripe_insufficient_capabilities_for_transfer: StripeRefusal;
  /** Any other refusal: Stripe's code is in the params, so the set of our codes stays closed. */
  stripe_refused: StripeRefusal;
}

export type ErrorCode = keyof ErrorParams;

/** A code with its params, as an error carries them and a record keeps them. */
export type Problem<C extends ErrorCode = ErrorCode> = { [K in C]: { code: K; params: ErrorParams[K] } }[C];

export interface AppErrorOptions {
  retryable?: boolean;
  cause?: unknown;
  retryAfterMs?: number;
  stripeRequestId?: string;
}

/** "seller_not_payable (userId: U1, transfers: inactive)": plain, for logs; people read the words the edge chooses. */
function logMessage(code: string, params: object): string {
  const facts = Object.entries(params).map(
    ([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`,
  );
  return facts.length > 0 ? `${code} (${facts.join(', ')})` : code;
}

/**
 * The one error type the domain speaks: a code from a closed set, the facts behind it, and whether trying again may
 * help. It holds no words for people: `src/slack/messages.ts` turns code + params into them.
 */
export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly code: C,
    readonly params: ErrorParams[C],
    readonly options: AppErrorOptions = {},
  ) {
    super(logMessage(code, params), { cause: options.cause });
    this.name = 'AppError';
  }

  get retryable(): boolean {
    return this.options.retryable ?? false;
  }

  /** What a record keeps of this error. */
  get problem(): Problem {
    return { code: this.code, params: this.params } as Problem;
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

/** Narrows an error to one code, so its params are that code's. */
export const hasCode = <C extends ErrorCode>(error: AppError, code: C): error is AppError<C> => error.code === code;

/**
 * A failure as a record keeps it: a problem (code and params), or plain words: Stripe's own failure message, or a
 * record written before failures kept their params.
 */
export type RecordedProblem = Problem | string;
