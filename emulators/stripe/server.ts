import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { listenOnLoopback } from '../loopback.js';
import { ApiError, apiError, idempotencyError, invalidRequest, paramError, rateLimitError } from './errors.js';
import {
  type DelayNextOptions,
  type FailAfterSideEffectOptions,
  type FailNextOptions,
  Faults,
  RateLimiter,
} from './faults.js';
import { canonicalForm, decodeForm, type FormObject } from './form.js';
import { IdempotencyStore } from './idempotency.js';
import { matchHostedPage, type PageResponse, serveDashboard, serveOnboarding } from './onboarding-page.js';
import { type ApiContext, expand, matchRoute, type Route } from './routes.js';
import {
  type Account,
  type Balance,
  type BalanceTransaction,
  type BankAccount,
  Clock,
  Ledger,
  newId,
  type Payout,
  type Topup,
  type TopupOutcome,
  type Transfer,
  type TransferReversal,
} from './state.js';
import {
  type EventRecord,
  type StripeEvent,
  WebhookDispatcher,
  type WebhookEndpoint,
  type WebhookRetryPolicy,
} from './webhooks.js';

export interface StripeEmulatorOptions {
  /** 0 or omitted: a spare port on 127.0.0.1. */
  port?: number;
  /** Defaults: `acct_platform`, 'US', 'usd', top-ups enabled. */
  platform?: { id?: string; country?: string; defaultCurrency?: string; topupsEnabled?: boolean };
  /** Initial platform available balance per currency, in minor units: `{ usd: 500_00 }`. */
  balances?: Record<string, number>;
  webhookEndpoints?: WebhookEndpoint[];
  /** Per endpoint (method + path template) and second, like Stripe's; unlimited when omitted. */
  rateLimitPerSecond?: number;
  livemode?: boolean;
  /** Webhook delivery: 3 tries 250 ms apart, 5 s per try, unless overridden. */
  webhookRetry?: Partial<WebhookRetryPolicy>;
}

export interface RequestLogEntry {
  at: string;
  method: string;
  path: string;
  /** `POST /v1/transfers/:id/reversals`; null for unrecognised URLs. */
  endpoint: string | null;
  idempotencyKey?: string;
  stripeAccount?: string;
  /** 0 when the connection was dropped instead of answered. */
  status: number;
  replayed: boolean;
  requestId: string;
  fault?: 'rate_limited' | 'injected' | 'after_side_effect' | 'connection_destroyed';
}

export interface EmulatorStats {
  requests: number;
  rateLimited: number;
  byEndpoint: Record<string, number>;
}

export interface StripeEmulatorControl {
  addWebhookEndpoint(endpoint: WebhookEndpoint): void;
  /** The next matching requests fail with `status` and no side effect. */
  failNext(options: FailNextOptions): void;
  /** The next matching requests are applied (and saved for idempotent replay), but the reply is lost. */
  failAfterSideEffect(options: FailAfterSideEffectOptions): void;
  /** The next matching requests wait `ms` before running, holding their idempotency key. */
  delayNext(options: DelayNextOptions): void;
  clearFaults(): void;
  setRateLimit(perSecond: number | undefined): void;
  stats(): EmulatorStats;
  /** Every API request, in arrival order. */
  readonly requests: RequestLogEntry[];
  accounts(): Account[];
  transfers(): Transfer[];
  topups(): Topup[];
  /** The platform's balance, or a connected account's. */
  balance(accountId?: string): Balance;
  setBalance(currency: string, availableMinor: number): void;
  /** Finishes hosted onboarding (complete) or stops it with requirements due; resolves once `account.updated` is delivered. */
  completeOnboarding(accountId: string, options: { complete: boolean }): Promise<Account>;
  restrictAccount(accountId: string, options?: { reason?: string }): Promise<Account>;
  settleTopup(topupId: string, outcome: TopupOutcome): Promise<Topup>;
  reverseTransfer(transferId: string, options?: { amount?: number }): Promise<TransferReversal>;
  /** An account's balance transactions (the platform's by default), oldest first. */
  balanceTransactions(accountId?: string): BalanceTransaction[];
  payouts(): Payout[];
  /** The seller replaces their bank account (Stripe's test numbers decide how payouts go); resolves once the events are delivered. */
  changeBankAccount(accountId: string, accountNumber: string): Promise<BankAccount>;
  /** Runs the connected account's automatic payout now; undefined when it has nothing to pay out. */
  payOut(accountId: string): Promise<Payout | undefined>;
  /** The seller disconnects from the platform. */
  deauthorize(accountId: string): Promise<void>;
  /** Runs `change` with webhooks recorded but not sent, as if they were lost. */
  withoutWebhooks<T>(change: () => T | Promise<T>): Promise<T>;
  /**
   * Plants a disagreement for reconciliation tests: alters what Stripe holds without an event, or forgets an object.
   * Not anything Stripe does; it stands for whatever made the records part.
   */
  plant: {
    transfer(transferId: string, patch: Partial<Pick<Transfer, 'amount' | 'currency' | 'destination'>>): void;
    forget(objectId: string): void;
    net(balanceTransactionId: string, net: number): void;
  };
  events(): EventRecord[];
  deliver(event: StripeEvent): Promise<EventRecord>;
  redeliver(eventId: string): Promise<EventRecord>;
  /** Resolves once every webhook delivery under way, retries included, has finished. */
  drainWebhooks(): Promise<void>;
  /** Moves the emulator's clock forward, e.g. past an account link's expiry. */
  advanceClock(seconds: number): void;
  /** Platform funds from a charge, pending until `availableOn` (Unix seconds). */
  addPendingFunds(currency: string, amount: number, availableOn: number): void;
  /** Makes available what is due by the emulator's clock (pending top-ups by `expected_availability_date`, charges by `available_on`); resolves once the webhooks are delivered. */
  releaseDueFunds(): Promise<void>;
}

export interface StripeEmulator {
  url: string;
  port: number;
  control: StripeEmulatorControl;
  close(): Promise<void>;
}

/** The API version events carry when the request behind them sent no `Stripe-Version`. */
const DEFAULT_API_VERSION = '2026-10-28.endive';
const MAX_BODY_BYTES = 1 << 20;
const API_KEY = /^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/;

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy(new Error('request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function maskKey(key: string): string {
  const prefix = /^[a-z]+_(test|live)_/.exec(key)?.[0] ?? '';
  const secret = key.slice(prefix.length);
  return secret.length <= 4 ? key : `${prefix}${'*'.repeat(secret.length - 4)}${secret.slice(-4)}`;
}

/** The API key from `Authorization: Bearer sk_…` or HTTP Basic (`curl -u sk_…:`), or the 401 Stripe answers. */
function authenticate(authorization: string | undefined, livemode: boolean): string | ApiError {
  const [scheme = '', credentials = ''] = (authorization ?? '').trim().split(/\s+/, 2);
  const key =
    scheme.toLowerCase() === 'bearer'
      ? credentials
      : scheme.toLowerCase() === 'basic'
        ? (Buffer.from(credentials, 'base64').toString('utf8').split(':')[0] ?? '')
        : '';
  if (!key) {
    return invalidRequest(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
      { status: 401, stored: false },
    );
  }
  const mode = API_KEY.exec(key)?.[2];
  if (mode !== (livemode ? 'live' : 'test')) {
    return invalidRequest(`Invalid API Key provided: ${maskKey(key)}`, { status: 401, stored: false });
  }
  return key;
}

function injectedError(fault: FailNextOptions): ApiError {
  const body =
    fault.error ??
    (fault.status >= 500
      ? { type: 'api_error', message: 'An unknown error occurred' }
      : { type: 'invalid_request_error', message: `Injected failure (${fault.status})` });
  return new ApiError(fault.status, body, { stored: false, headers: fault.headers });
}

export async function startStripeEmulator(options: StripeEmulatorOptions = {}): Promise<StripeEmulator> {
  const server = http.createServer();
  const port = await listenOnLoopback(server, options.port);
  const url = `http://127.0.0.1:${port}`;

  const livemode = options.livemode ?? false;
  const clock = new Clock();
  const webhooks = new WebhookDispatcher(clock, livemode, DEFAULT_API_VERSION, {
    attempts: 3,
    delayMs: 250,
    timeoutMs: 5000,
    ...options.webhookRetry,
  });
  for (const endpoint of options.webhookEndpoints ?? []) webhooks.addEndpoint(endpoint);
  const ledger = new Ledger(
    {
      id: options.platform?.id ?? 'acct_platform',
      country: options.platform?.country ?? 'US',
      defaultCurrency: options.platform?.defaultCurrency ?? 'usd',
      topupsEnabled: options.platform?.topupsEnabled ?? true,
    },
    livemode,
    clock,
    (type, object, publishOptions) => webhooks.publish(type, object, publishOptions),
    options.balances ?? {},
  );
  const faults = new Faults();
  const rateLimiter = new RateLimiter(options.rateLimitPerSecond);
  const idempotency = new IdempotencyStore(clock);
  const requests: RequestLogEntry[] = [];
  const stats: EmulatorStats = { requests: 0, rateLimited: 0, byEndpoint: {} };

  function send(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
      ...headers,
    });
    res.end(body);
  }

  function sendPage(res: http.ServerResponse, page: PageResponse): void {
    if (page.location) {
      res.writeHead(page.status, { Location: page.location, 'Content-Length': 0 });
      res.end();
      return;
    }
    const html = page.html ?? '';
    res.writeHead(page.status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': Buffer.byteLength(html),
    });
    res.end(html);
  }

  function execute(
    route: Route,
    ctx: ApiContext,
  ): { status: number; body: string; stored: boolean; headers: Record<string, string> } {
    webhooks.origin = ctx.origin;
    try {
      return {
        status: 200,
        body: JSON.stringify(expand(route.handle(ctx), ctx.form, ledger)),
        stored: true,
        headers: {},
      };
    } catch (error) {
      const failure =
        error instanceof ApiError
          ? error
          : apiError(500, `Emulator failure: ${error instanceof Error ? error.message : String(error)}`);
      return {
        status: failure.status,
        body: JSON.stringify(failure),
        stored: failure.stored,
        headers: failure.headers,
      };
    } finally {
      webhooks.origin = null;
    }
  }

  async function api(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    target: URL,
    requestId: string,
  ): Promise<void> {
    const method = req.method ?? 'GET';
    const path = target.pathname;
    const idempotencyKey = method === 'POST' ? header(req, 'idempotency-key') : undefined;
    const stripeAccount = header(req, 'stripe-account');
    const apiVersion = header(req, 'stripe-version') ?? DEFAULT_API_VERSION;
    const entry: RequestLogEntry = {
      at: new Date().toISOString(),
      method,
      path,
      endpoint: null,
      ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
      ...(stripeAccount !== undefined ? { stripeAccount } : {}),
      status: 0,
      replayed: false,
      requestId,
    };
    requests.push(entry);
    stats.requests += 1;
    const baseHeaders: Record<string, string> = {
      'Stripe-Version': apiVersion,
      ...(idempotencyKey !== undefined ? { 'Idempotency-Key': idempotencyKey } : {}),
      ...(stripeAccount !== undefined ? { 'Stripe-Account': stripeAccount } : {}),
    };
    const reply = (status: number, body: string, headers: Record<string, string> = {}) => {
      entry.status = status;
      send(res, status, body, { ...baseHeaders, ...headers });
    };
    const fail = (error: ApiError, fault?: RequestLogEntry['fault']) => {
      if (fault) entry.fault = fault;
      reply(error.status, JSON.stringify(error), error.headers);
    };

    const body = await readBody(req);
    const apiKey = authenticate(header(req, 'authorization'), livemode);
    if (apiKey instanceof ApiError) return fail(apiKey);

    const match = matchRoute(method, path);
    if (!match) {
      return fail(
        invalidRequest(
          `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
          { status: 404, stored: false },
        ),
      );
    }
    const { template } = match.route;
    const endpoint = `${method} ${template}`;
    entry.endpoint = endpoint;
    stats.byEndpoint[endpoint] = (stats.byEndpoint[endpoint] ?? 0) + 1;

    if (!rateLimiter.allow(endpoint, Date.now())) {
      stats.rateLimited += 1;
      return fail(rateLimitError(), 'rate_limited');
    }
    const injected = faults.before.take(method, path, template);
    if (injected) return fail(injectedError(injected), 'injected');

    let onBehalfOf: Account | null = null;
    if (stripeAccount !== undefined && stripeAccount !== ledger.platform.id) {
      const account = ledger.deauthorized.has(stripeAccount) ? undefined : ledger.accounts.get(stripeAccount);
      if (!account) {
        return fail(
          invalidRequest(
            `The provided key '${maskKey(apiKey)}' does not have access to account '${stripeAccount}' (or that account does not exist). Application access may have been revoked.`,
            { code: 'account_invalid', status: 403, stored: false },
          ),
        );
      }
      if (!match.route.connected) {
        return fail(
          invalidRequest(
            `The emulator does not support ${endpoint} on behalf of a connected account (Stripe-Account).`,
            {
              stored: false,
            },
          ),
        );
      }
      onBehalfOf = account;
    }

    const form: FormObject = decodeForm(target.search.slice(1), body);
    let scope: string | undefined;
    if (idempotencyKey !== undefined) {
      if (idempotencyKey.length > 255) {
        return fail(paramError('Idempotency keys must be at most 255 characters long.', 'idempotency_key'));
      }
      scope = IdempotencyStore.scope(apiKey, stripeAccount, idempotencyKey);
      const claim = idempotency.claim(scope, `${path}\n${canonicalForm(form)}`);
      if (claim.kind === 'mismatch') {
        return fail(
          idempotencyError(
            400,
            `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
          ),
        );
      }
      if (claim.kind === 'in_flight') {
        return fail(
          idempotencyError(
            409,
            `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${idempotencyKey}. Please try again later.`,
            'idempotency_key_in_use',
          ),
        );
      }
      if (claim.kind === 'replay') {
        entry.replayed = true;
        return reply(claim.response.status, claim.response.body, {
          'Idempotent-Replayed': 'true',
          'Original-Request': claim.response.requestId,
        });
      }
    }

    const delay = faults.delays.take(method, path, template);
    if (delay) await sleep(delay.ms);

    const outcome = execute(match.route, {
      pathParams: match.pathParams,
      form,
      onBehalfOf,
      ledger,
      webhooks,
      baseUrl: url,
      origin: { requestId, idempotencyKey: idempotencyKey ?? null, apiVersion },
    });
    if (scope !== undefined) {
      if (outcome.stored) idempotency.save(scope, { status: outcome.status, body: outcome.body, requestId });
      else idempotency.release(scope);
    }

    const lost = faults.after.take(method, path, template);
    if (lost?.destroyConnection) {
      entry.fault = 'connection_destroyed';
      req.socket.destroy();
      return;
    }
    if (lost) return fail(apiError(lost.status ?? 500), 'after_side_effect');
    reply(outcome.status, outcome.body, outcome.headers);
  }

  async function hostedPage(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<boolean> {
    const page = matchHostedPage(path);
    if (!page) return false;
    if (page.kind === 'dashboard') {
      sendPage(res, serveDashboard(ledger, page.account));
      return true;
    }
    const form = req.method === 'POST' ? decodeForm(await readBody(req)) : {};
    sendPage(res, serveOnboarding(ledger, req.method ?? 'GET', page.account, page.link, form));
    return true;
  }

  function snapshot(): object {
    const accountIds = [ledger.platform.id, ...ledger.accounts.keys()];
    return {
      balances: Object.fromEntries(accountIds.map((id) => [id, ledger.balance(id)])),
      accounts: [...ledger.accounts.values()],
      transfers: [...ledger.transfers.values()],
      topups: [...ledger.topups.values()],
    };
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestId = newId('req', 14);
    res.setHeader('Request-Id', requestId);
    const target = new URL(req.url ?? '/', url);
    const path = target.pathname;
    if (path.startsWith('/v1/')) return api(req, res, target, requestId);
    if (req.method === 'GET' && path === '/_emulator/requests') return send(res, 200, JSON.stringify(requests));
    if (req.method === 'GET' && path === '/_emulator/state') return send(res, 200, JSON.stringify(snapshot()));
    if (await hostedPage(req, res, path)) return;
    send(
      res,
      404,
      JSON.stringify(invalidRequest(`Unrecognized request URL (${req.method}: ${path}).`, { status: 404 })),
    );
  }

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      send(
        res,
        500,
        JSON.stringify(apiError(500, `Emulator failure: ${error instanceof Error ? error.message : String(error)}`)),
      );
    });
  });

  const afterDelivery = async <T>(value: T): Promise<T> => {
    await webhooks.idle();
    return structuredClone(value);
  };

  const control: StripeEmulatorControl = {
    addWebhookEndpoint: (endpoint) => webhooks.addEndpoint(endpoint),
    failNext: (fault) => faults.before.add(fault),
    failAfterSideEffect: (fault) => faults.after.add(fault),
    delayNext: (fault) => faults.delays.add(fault),
    clearFaults: () => faults.clear(),
    setRateLimit: (perSecond) => {
      rateLimiter.perSecond = perSecond;
    },
    stats: () => structuredClone(stats),
    requests,
    accounts: () => structuredClone([...ledger.accounts.values()]),
    transfers: () => structuredClone([...ledger.transfers.values()]),
    topups: () => structuredClone([...ledger.topups.values()]),
    balance: (accountId = ledger.platform.id) => ledger.balance(accountId),
    setBalance: (currency, availableMinor) => ledger.setAvailable(ledger.platform.id, currency, availableMinor),
    completeOnboarding: async (accountId, { complete }) =>
      afterDelivery(ledger.completeOnboarding(accountId, complete)),
    restrictAccount: async (accountId, { reason = 'under_review' } = {}) =>
      afterDelivery(ledger.restrictAccount(accountId, reason)),
    settleTopup: async (topupId, outcome) => afterDelivery(ledger.settleTopup(ledger.topup(topupId), outcome)),
    reverseTransfer: async (transferId, { amount } = {}) =>
      afterDelivery(ledger.reverseTransfer(ledger.transfer(transferId), { amount, metadata: {} })),
    balanceTransactions: (accountId = ledger.platform.id) => structuredClone(ledger.balanceTransactions(accountId)),
    payouts: () => structuredClone([...ledger.payouts.values()]),
    changeBankAccount: async (accountId, accountNumber) =>
      afterDelivery(ledger.addBankAccount(accountId, accountNumber, { replace: true })),
    payOut: async (accountId) => afterDelivery(ledger.payOut(accountId)),
    deauthorize: async (accountId) => afterDelivery(ledger.deauthorize(accountId)),
    async withoutWebhooks(change) {
      webhooks.muted = true;
      try {
        return await change();
      } finally {
        webhooks.muted = false;
      }
    },
    plant: {
      transfer: (transferId, patch) => void Object.assign(ledger.transfer(transferId), patch),
      forget: (objectId) => void (ledger.transfers.delete(objectId) || ledger.topups.delete(objectId)),
      net: (balanceTransactionId, net) => {
        const movement = ledger.balanceTransaction(ledger.platform.id, balanceTransactionId);
        movement.fee = movement.amount - net;
        movement.net = net;
      },
    },
    events: () => structuredClone(webhooks.records),
    deliver: (event) => webhooks.deliver(event),
    redeliver: (eventId) => webhooks.redeliver(eventId),
    drainWebhooks: () => webhooks.idle(),
    advanceClock: (seconds) => clock.advance(seconds),
    addPendingFunds: (currency, amount, availableOn) => void ledger.addPendingFunds(currency, amount, availableOn),
    releaseDueFunds: async () => afterDelivery(ledger.releaseDueFunds()),
  };

  return {
    url,
    port,
    control,
    close: async () => {
      webhooks.close();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
