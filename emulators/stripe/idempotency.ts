export interface StoredResponse {
  status: number;
  body: string;
  requestId: string;
}

interface Entry {
  fingerprint: string;
  response: StoredResponse | null;
  /** Unix seconds, on the emulator's clock. */
  createdAt: number;
}

/** Stripe prunes keys once they are at least 24 hours old; a reused key after that is a new request. */
export const IDEMPOTENCY_KEY_TTL_SECONDS = 24 * 3_600;

export type Claim =
  | { kind: 'new' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'mismatch' }
  | { kind: 'in_flight' };

/**
 * Saved results of POSTs made with an `Idempotency-Key`, scoped like Stripe's by API key,
 * `Stripe-Account` and key. A claim holds the key while its request runs.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: { now(): number }) {}

  static scope(apiKey: string, stripeAccount: string | undefined, key: string): string {
    return `${apiKey}\u0000${stripeAccount ?? ''}\u0000${key}`;
  }

  claim(scope: string, fingerprint: string): Claim {
    const now = this.clock.now();
    const entry = this.entries.get(scope);
    if (!entry || (entry.response && now - entry.createdAt >= IDEMPOTENCY_KEY_TTL_SECONDS)) {
      this.entries.set(scope, { fingerprint, response: null, createdAt: now });
      return { kind: 'new' };
    }
    if (entry.fingerprint !== fingerprint) return { kind: 'mismatch' };
    return entry.response ? { kind: 'replay', response: entry.response } : { kind: 'in_flight' };
  }

  save(scope: string, response: StoredResponse): void {
    const entry = this.entries.get(scope);
    if (entry) entry.response = response;
  }

  /** Frees the key of a request whose result Stripe does not save, so a retry runs afresh. */
  release(scope: string): void {
    this.entries.delete(scope);
  }
}
