export interface StoredResponse {
  status: number;
  body: string;
  requestId: string;
}

interface Entry {
  fingerprint: string;
  response: StoredResponse | null;
}

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

  static scope(apiKey: string, stripeAccount: string | undefined, key: string): string {
    return `${apiKey}\u0000${stripeAccount ?? ''}\u0000${key}`;
  }

  claim(scope: string, fingerprint: string): Claim {
    const entry = this.entries.get(scope);
    if (!entry) {
      this.entries.set(scope, { fingerprint, response: null });
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
