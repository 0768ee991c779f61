import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Clock, newId } from './state.js';

export interface WebhookEndpoint {
  url: string;
  secret: string;
  /** true: receives events about connected accounts (`event.account` set); false: the platform's own events. */
  connect: boolean;
  /** Event types to receive; all when omitted. */
  enabledEvents?: string[];
}

export interface StripeEvent {
  id: string;
  object: 'event';
  account?: string;
  api_version: string;
  created: number;
  data: { object: unknown; previous_attributes?: Record<string, unknown> };
  livemode: boolean;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export interface DeliveryAttempt {
  at: string;
  /** HTTP status the endpoint answered, or null when it could not be reached. */
  status: number | null;
  error?: string;
}

export interface Delivery {
  url: string;
  attempts: DeliveryAttempt[];
  delivered: boolean;
}

export interface EventRecord {
  event: StripeEvent;
  deliveries: Delivery[];
}

export interface WebhookRetryPolicy {
  /** Tries per delivery, the first included. */
  attempts: number;
  delayMs: number;
  timeoutMs: number;
}

/** The request that caused the events being published, as Stripe reports it in `event.request`. */
export interface EventOrigin {
  requestId: string;
  idempotencyKey: string | null;
  apiVersion: string;
}

export interface RawResponse {
  status: number;
  body: string;
}

/** `Stripe-Signature` header value, as `stripe.webhooks.constructEvent` verifies it. */
export function signatureHeader(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${signature}`;
}

function post(
  url: string,
  payload: string,
  headers: Record<string, string>,
  options: { agents?: { http: http.Agent; https: https.Agent }; timeoutMs?: number } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const request = (secure ? https : http).request(
      target,
      {
        method: 'POST',
        agent: secure ? options.agents?.https : options.agents?.http,
        timeout: options.timeoutMs,
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': Buffer.byteLength(payload),
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          ...headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no response within ${options.timeoutMs} ms`)));
    request.on('error', reject);
    request.end(payload);
  });
}

/**
 * Posts any payload signed with `secret`, e.g. a forged event, one signed with the wrong secret,
 * or a stale one (`timestamp` in the past), to check that a webhook handler refuses it.
 */
export function sendSignedRaw(
  url: string,
  secret: string,
  payload: string,
  options: { timestamp?: number } = {},
): Promise<RawResponse> {
  return post(url, payload, { 'Stripe-Signature': signatureHeader(payload, secret, options.timestamp) });
}

/** Records every event and delivers it, signed, to the endpoints that subscribe to it. */
export class WebhookDispatcher {
  readonly endpoints: WebhookEndpoint[] = [];
  readonly records: EventRecord[] = [];
  /** Set by the server while an API request runs, so its events carry `request.id` and `idempotency_key`. */
  origin: EventOrigin | null = null;
  /** While set, events are recorded but not sent: a lost webhook, for tests and scenarios. */
  muted = false;
  private readonly byId = new Map<string, EventRecord>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly livemode: boolean,
    private readonly defaultApiVersion: string,
    private readonly retry: WebhookRetryPolicy,
  ) {}

  addEndpoint(endpoint: WebhookEndpoint): void {
    this.endpoints.push(endpoint);
  }

  event(id: string): EventRecord | undefined {
    return this.byId.get(id);
  }

  publish(
    type: string,
    object: object,
    options: { account?: string; previous?: Record<string, unknown> } = {},
  ): EventRecord {
    const event: StripeEvent = {
      id: newId('evt'),
      object: 'event',
      ...(options.account ? { account: options.account } : {}),
      api_version: this.origin?.apiVersion ?? this.defaultApiVersion,
      created: this.clock.now(),
      data: { object: structuredClone(object), ...(options.previous ? { previous_attributes: options.previous } : {}) },
      livemode: this.livemode,
      pending_webhooks: 0,
      request: { id: this.origin?.requestId ?? null, idempotency_key: this.origin?.idempotencyKey ?? null },
      type,
    };
    const targets = this.targets(event);
    event.pending_webhooks = targets.length;
    const record: EventRecord = { event, deliveries: [] };
    this.records.push(record);
    this.byId.set(event.id, record);
    if (!this.muted) void this.send(record, targets);
    return record;
  }

  /** Sends an event (a recorded one again, or one built by a test) to the endpoints it is meant for. */
  async deliver(event: StripeEvent): Promise<EventRecord> {
    let record = this.byId.get(event.id);
    if (!record) {
      record = { event, deliveries: [] };
      this.records.push(record);
      this.byId.set(event.id, record);
    }
    await this.send(record, this.targets(event));
    return record;
  }

  redeliver(eventId: string): Promise<EventRecord> {
    const record = this.byId.get(eventId);
    if (!record) return Promise.reject(new Error(`No such event: '${eventId}'`));
    return this.deliver(record.event);
  }

  /** Resolves once every delivery under way, retries included, has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  close(): void {
    this.closed = true;
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private targets(event: StripeEvent): WebhookEndpoint[] {
    const connect = event.account !== undefined;
    return this.endpoints.filter(
      (endpoint) =>
        endpoint.connect === connect &&
        (endpoint.enabledEvents === undefined ||
          endpoint.enabledEvents.includes('*') ||
          endpoint.enabledEvents.includes(event.type)),
    );
  }

  /** Deliveries to one endpoint go out one at a time, in publication order. */
  private send(record: EventRecord, targets: WebhookEndpoint[]): Promise<void> {
    const sends = targets.map((endpoint) => {
      const delivery: Delivery = { url: endpoint.url, attempts: [], delivered: false };
      record.deliveries.push(delivery);
      const queued = (this.queues.get(endpoint.url) ?? Promise.resolve()).then(() =>
        this.attempt(record.event, endpoint, delivery),
      );
      this.queues.set(endpoint.url, queued);
      this.inFlight.add(queued);
      void queued.finally(() => {
        this.inFlight.delete(queued);
        if (this.queues.get(endpoint.url) === queued) this.queues.delete(endpoint.url);
      });
      return queued;
    });
    return Promise.all(sends).then(() => undefined);
  }

  private async attempt(event: StripeEvent, endpoint: WebhookEndpoint, delivery: Delivery): Promise<void> {
    const payload = JSON.stringify(event, null, 2);
    for (let attempt = 1; attempt <= this.retry.attempts && !this.closed; attempt++) {
      if (attempt > 1) await sleep(this.retry.delayMs);
      const at = new Date().toISOString();
      try {
        // Signed with the real time: receivers check it against their own clock, not the emulator's.
        const { status } = await post(
          endpoint.url,
          payload,
          { 'Stripe-Signature': signatureHeader(payload, endpoint.secret) },
          { agents: this.agents, timeoutMs: this.retry.timeoutMs },
        );
        delivery.attempts.push({ at, status });
        if (status >= 200 && status < 300) {
          delivery.delivered = true;
          return;
        }
      } catch (error) {
        delivery.attempts.push({ at, status: null, error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
}
