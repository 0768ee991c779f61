import type { StripeErrorBody } from './errors.js';

export interface FaultTarget {
  /** Any method when omitted. */
  method?: string;
  /** The exact path (`/v1/transfers`), the route template (`/v1/transfers/:id`) or a pattern over the path. */
  path: string | RegExp;
  /** How many matching requests the fault applies to; 1 when omitted. */
  count?: number;
}

export interface FailNextOptions extends FaultTarget {
  status: number;
  /** e.g. `{ 'Retry-After': '1' }` or `{ 'Stripe-Should-Retry': 'false' }`. */
  headers?: Record<string, string>;
  /** The error body; an `api_error` (5xx) or `invalid_request_error` (4xx) when omitted. */
  error?: StripeErrorBody;
}

export interface FailAfterSideEffectOptions extends FaultTarget {
  /** The status the client sees after the request was applied; 500 when omitted. */
  status?: number;
  /** Drop the connection instead of answering, like a reply lost on the network. */
  destroyConnection?: boolean;
}

export interface DelayNextOptions extends FaultTarget {
  /** How long the request stays in flight (its idempotency key held) before it runs. */
  ms: number;
}

interface Rule<T extends FaultTarget> {
  spec: T;
  remaining: number;
}

class RuleList<T extends FaultTarget> {
  private rules: Rule<T>[] = [];

  add(spec: T): void {
    this.rules.push({ spec, remaining: spec.count ?? 1 });
  }

  take(method: string, path: string, template: string): T | undefined {
    const rule = this.rules.find(({ spec }) => matches(spec, method, path, template));
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((candidate) => candidate !== rule);
    return rule.spec;
  }

  clear(): void {
    this.rules = [];
  }
}

function matches(spec: FaultTarget, method: string, path: string, template: string): boolean {
  if (spec.method && spec.method.toUpperCase() !== method) return false;
  return typeof spec.path === 'string' ? spec.path === path || spec.path === template : spec.path.test(path);
}

/** Faults armed by tests, each consumed by the next matching API requests. */
export class Faults {
  readonly before = new RuleList<FailNextOptions>();
  readonly after = new RuleList<FailAfterSideEffectOptions>();
  readonly delays = new RuleList<DelayNextOptions>();

  clear(): void {
    this.before.clear();
    this.after.clear();
    this.delays.clear();
  }
}

/** Stripe-style per-endpoint limit: at most `perSecond` requests to one endpoint in each one-second window. */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(public perSecond: number | undefined) {}

  allow(endpoint: string, nowMs: number): boolean {
    if (this.perSecond === undefined) return true;
    const window = this.windows.get(endpoint);
    if (!window || nowMs - window.start >= 1000) {
      this.windows.set(endpoint, { start: nowMs, count: 1 });
      return true;
    }
    window.count += 1;
    return window.count <= this.perSecond;
  }
}
