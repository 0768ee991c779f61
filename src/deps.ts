import { LogLevel, WebClient } from '@slack/web-api';
import type Stripe from 'stripe';
import { instrumentGateway, instrumentPayoutNotifier, instrumentRequestStore } from './adapters/metrics/instrument.js';
import { createMetrics, type Metrics } from './adapters/metrics/metrics.js';
import { createFundingChecks } from './adapters/queue/funding-checks.js';
import { createHeldPayments } from './adapters/queue/held-payments.js';
import { createBullScheduler, createRunQueue } from './adapters/queue/payout-queues.js';
import { createPaymentQueue, createQueues, type Queues } from './adapters/queue/queues.js';
import { createReminderQueue } from './adapters/queue/reminder-queue.js';
import type { RedisClient } from './adapters/redis/connection.js';
import { closeRedis, createRedis } from './adapters/redis/connection.js';
import {
  createRedisFreezeStore,
  createRedisLimitHoldStore,
  createRedisVelocityCounter,
} from './adapters/redis/controls-store.js';
import { createRedisAutoFundingStore, createRedisShortfallNoticeStore } from './adapters/redis/funding-stores.js';
import { createOnceRegistry } from './adapters/redis/once.js';
import { createRedisPacer } from './adapters/redis/pacer.js';
import { createRedisPaymentAttempts } from './adapters/redis/payment-attempts.js';
import {
  createRedisPaymentLedger,
  createRedisReconcileScratchSpace,
  createRedisReconcileStore,
} from './adapters/redis/payment-ledger.js';
import {
  createRedisFiringStore,
  createRedisPlanStore,
  createRedisRunStore,
  createRedisScheduleStore,
} from './adapters/redis/payout-stores.js';
import { createReplicaAck } from './adapters/redis/replica-ack.js';
import { createRedisAuditLog, createRedisRequestStore } from './adapters/redis/request-store.js';
import { createRedisSellerStore } from './adapters/redis/seller-store.js';
import { createAttachedFiles } from './adapters/slack/attached-files.js';
import { createControlNotifier } from './adapters/slack/control-notifier.js';
import { createSlackDirectory } from './adapters/slack/directory.js';
import { createFundingNotifier } from './adapters/slack/funding-notifier.js';
import { createHomePublisher, type HomePublisher, refreshingHomes } from './adapters/slack/home-publisher.js';
import { createMessenger } from './adapters/slack/messenger.js';
import { createOnboardingNotifier } from './adapters/slack/onboarding-notifier.js';
import { createPayoutNotifier, updateBudgetLeft } from './adapters/slack/payout-notifier.js';
import { createReconcileNotifier } from './adapters/slack/reconcile-notifier.js';
import { createRequestNotifier, threadReminder } from './adapters/slack/request-notifier.js';
import { createStripeClient } from './adapters/stripe/client.js';
import { createStripeGateway } from './adapters/stripe/gateway.js';
import { createStripeLists } from './adapters/stripe/lists.js';
import { paceTransfers } from './adapters/stripe/paced-gateway.js';
import { createWebhookVerifier, type WebhookVerifier } from './adapters/stripe/webhooks.js';
import type { Config } from './config.js';
import { type AccessPolicy, createAccessPolicy } from './domain/access.js';
import type { AuditLog } from './domain/audit.js';
import { type AutoFundingService, createAutoFundingService } from './domain/auto-funding.js';
import { type BatchIntake, createBatchIntake } from './domain/batch-intake.js';
import { type Clock, systemClock } from './domain/clock.js';
import { type ConnectTokens, createConnectTokens } from './domain/connect-tokens.js';
import {
  createFreezeService,
  createLimitOverrides,
  createLimitsLeft,
  createPaymentGuard,
  type FreezeService,
  type LimitOverrideService,
} from './domain/controls.js';
import { createDeliveries, type Deliveries } from './domain/deliveries.js';
import { createExecutionService, type ExecutionService } from './domain/execution.js';
import { createFundingService, type FundingService } from './domain/funding.js';
import { createPaymentService, createSettlement, type PaymentService, type Settle } from './domain/payments.js';
import { createPlanService, type PlanService } from './domain/plan.js';
import type { FundingChecks, PlanStore } from './domain/ports.js';
import { createReconcileService, type ReconcileService } from './domain/reconcile.js';
import { createRecordEffects } from './domain/record-effects.js';
import { createReminderService, type ReminderService } from './domain/reminders.js';
import { type AuditService, createAuditService, createExports, type Exports } from './domain/reports.js';
import { createRequestService, type RequestService } from './domain/requests.js';
import { createRunService, type RunService } from './domain/runs.js';
import { createScheduleService, type ScheduleService } from './domain/schedules.js';
import { type ConnectUrls, createSellerService, type SellerService } from './domain/sellers.js';
import { createTreasury, type Treasury } from './domain/treasury.js';
import type { Logger } from './logger.js';
import { HELD_ON_HOME, type HomeData } from './slack/blocks/home.js';
import { createBoltLogger } from './slack/bolt-logger.js';
import { parseUserMention } from './slack/mrkdwn.js';

/** Everything the listeners, routes and job processors need, built once. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  redis: RedisClient;
  stripe: Stripe;
  access: AccessPolicy;
  tokens: ConnectTokens;
  sellers: SellerService;
  requests: RequestService;
  execution: ExecutionService;
  /** Reminders in the approval message's thread before a request expires (delayed jobs; the sweeper as a safety net). */
  reminders: ReminderService;
  payments: PaymentService;
  /** What Stripe's webhooks say about a payment, read back and recorded. */
  settle: Settle;
  plan: PlanStore;
  runs: RunService;
  schedules: ScheduleService;
  /** The kill switch: freezes in force, lifted by an approved unfreeze request. */
  freezes: FreezeService;
  /** Payments a daily limit holds, and the two-approver overrides that let one go today. */
  limitOverrides: LimitOverrideService;
  /** Each person's App Home tab. */
  home: HomePublisher;
  reconcile: ReconcileService;
  funding: FundingService;
  autoFunding: AutoFundingService;
  /** Asks for a funding check soon (after a balance change Stripe tells us of). */
  fundingChecks: FundingChecks;
  audit: AuditLog;
  queues: Queues;
  verifyWebhook: WebhookVerifier;
  /** This process's Prometheus metrics (each role serves its own). */
  metrics: Metrics;
  /** The platform's balance as people ask about it. */
  treasury: Treasury;
  /** The payout plan as people change it directly. */
  payoutPlan: PlanService;
  /** The audit log as people read and export it. */
  auditTrail: AuditService;
  /** Long lists sent to a person as CSV files. */
  exports: Exports;
  /** Commands and form submissions the chat may deliver twice. */
  deliveries: Deliveries;
  /** One-off CSV batches as people hand them in. */
  batches: BatchIntake;
  close(): Promise<void>;
}

/** What listeners read of the config: where clicks count, and the largest request a form may ask for. */
export type ListenerConfig = Pick<
  Config,
  'SLACK_TEAM_ID' | 'SLACK_APP_ID' | 'SLACK_OPS_CHANNEL' | 'SLACK_APPROVALS_CHANNEL' | 'MAX_REQUEST_AMOUNTS'
>;

/**
 * What Bolt listeners get: domain services, the logger and a config slice. No clients, stores or queues, so a
 * listener parses, asks the domain and renders, and whatever it did around the domain has a service to live in.
 */
export interface CommandDeps
  extends Pick<
    AppDeps,
    | 'logger'
    | 'clock'
    | 'access'
    | 'sellers'
    | 'requests'
    | 'runs'
    | 'schedules'
    | 'freezes'
    | 'funding'
    | 'autoFunding'
    | 'reconcile'
    | 'treasury'
    | 'payoutPlan'
    | 'auditTrail'
    | 'exports'
    | 'deliveries'
    | 'batches'
  > {
  config: ListenerConfig;
  /** Each person's App Home tab, published when they open it or act on it. */
  home: Pick<HomePublisher, 'publish'>;
}

export function commandDeps(deps: AppDeps): CommandDeps {
  const { SLACK_TEAM_ID, SLACK_APP_ID, SLACK_OPS_CHANNEL, SLACK_APPROVALS_CHANNEL, MAX_REQUEST_AMOUNTS } = deps.config;
  return {
    config: { SLACK_TEAM_ID, SLACK_APP_ID, SLACK_OPS_CHANNEL, SLACK_APPROVALS_CHANNEL, MAX_REQUEST_AMOUNTS },
    logger: deps.logger,
    clock: deps.clock,
    access: deps.access,
    sellers: deps.sellers,
    requests: deps.requests,
    runs: deps.runs,
    schedules: deps.schedules,
    freezes: deps.freezes,
    funding: deps.funding,
    autoFunding: deps.autoFunding,
    reconcile: deps.reconcile,
    treasury: deps.treasury,
    payoutPlan: deps.payoutPlan,
    auditTrail: deps.auditTrail,
    exports: deps.exports,
    deliveries: deps.deliveries,
    batches: deps.batches,
    home: { publish: (teamId, userId) => deps.home.publish(teamId, userId) },
  };
}

/** A scheduled firing that starts later than this after its time is reported to ops as late. */
const LATE_FIRING_MS = 5 * 60_000;

export function connectUrls(publicUrl: string): ConnectUrls {
  const at = (path: string) => (token: string) => `${publicUrl}/connect/${path}?token=${encodeURIComponent(token)}`;
  return { start: at('start'), refresh: at('refresh'), return: at('return'), login: at('login') };
}

/**
 * Slack's client retries for up to half an hour by default. Idempotent calls get a few quick tries;
 * chat.postMessage gets none, since a retried post can appear twice (state lives in Redis, and updates are retried).
 */
export function slackClientOptions(config: Config, logger: Logger, retries = 2) {
  return {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    retryConfig: { retries, factor: 2, minTimeout: 200, maxTimeout: 2_000 },
    timeout: 10_000,
    logger: createBoltLogger(logger.child({ component: 'slack-web-api' })),
    logLevel: LogLevel.WARN,
  };
}

/** The same store, asking for a funding check after each of `methods`: every change to what the forecast reads re-checks it. */
function thenCheckFunds<T extends object>(store: T, methods: (keyof T)[], checks: FundingChecks): T {
  const wrapped = { ...store };
  for (const method of methods) {
    const original = store[method] as (...args: unknown[]) => Promise<unknown>;
    wrapped[method] = (async (...args: unknown[]) => {
      const result = await original(...args);
      await checks.request();
      return result;
    }) as T[keyof T];
  }
  return wrapped;
}

export function buildDeps(config: Config, logger: Logger, overrides: { clock?: Clock } = {}): AppDeps {
  const clock = overrides.clock ?? systemClock;
  const redis = createRedis(config.redis, 'commands', logger);
  const stripe = createStripeClient(config);
  const queues = createQueues(redis);
  const reconcileStore = createRedisReconcileStore(redis);
  const freezeStore = createRedisFreezeStore(redis);
  const shortfallNotices = createRedisShortfallNoticeStore(redis);
  const metrics = createMetrics({
    queues: queues.all,
    reconcile: reconcileStore,
    freezes: freezeStore,
    shortfalls: shortfallNotices,
    updateBudgetLeft: () => updateBudgetLeft(redis),
  });
  // Every transfer, whichever process makes it, waits for its slot at STRIPE_TRANSFERS_PER_SECOND.
  const gateway = paceTransfers(
    instrumentGateway(createStripeGateway(stripe), metrics),
    createRedisPacer(redis, 'transfers', { perSecond: config.STRIPE_TRANSFERS_PER_SECOND }),
  );
  const slack = new WebClient(config.SLACK_BOT_TOKEN, slackClientOptions(config, logger));
  const messenger = createMessenger({
    retrying: slack,
    once: new WebClient(config.SLACK_BOT_TOKEN, slackClientOptions(config, logger, 0)),
  });
  const tokens = createConnectTokens(config.connectTokenSecret, clock);
  const sellerStore = createRedisSellerStore(redis);
  const access = createAccessPolicy(
    { requester: config.PAYOUT_REQUESTERS, approver: config.PAYOUT_APPROVERS },
    createSlackDirectory(slack),
  );
  const replicaAck = createReplicaAck(redis, config.redis, logger);
  const fundingChecks = createFundingChecks(queues.maintenance, logger);
  const requestStore = thenCheckFunds(
    instrumentRequestStore(createRedisRequestStore(redis, replicaAck), metrics, clock),
    ['transition'],
    fundingChecks,
  );
  const paymentQueue = createPaymentQueue(queues.executions);
  const ledger = createRedisPaymentLedger(redis, replicaAck);
  const once = createOnceRegistry(redis);
  const audit = createRedisAuditLog(redis);
  const runStore = thenCheckFunds(createRedisRunStore(redis, replicaAck), ['update'], fundingChecks);
  const controlNotifier = createControlNotifier({
    messenger,
    channels: { ops: config.SLACK_OPS_CHANNEL, approvals: config.SLACK_APPROVALS_CHANNEL },
    requesterOf: async (ref) =>
      ref.kind === 'request'
        ? ((await requestStore.get(ref.requestId))?.requestedBy ?? null)
        : ref.kind === 'run-line'
          ? ((await runStore.get(ref.runId))?.requestedBy ?? null)
          : null,
    claimOnce: (scope, id) => once.claim(scope, id, 3 * 86_400),
    // Called only once a payment waits, long after `home` below exists; the tabs already opened are refreshed.
    homesChanged: () => home.changed('', []),
    logger,
  });
  const limitHolds = createRedisLimitHoldStore(redis);
  const velocity = createRedisVelocityCounter(redis);
  const dailyLimits = { total: config.VELOCITY_DAILY_TOTAL, perSeller: config.VELOCITY_DAILY_PER_SELLER };
  const guard = createPaymentGuard({
    freezes: freezeStore,
    velocity,
    limits: dailyLimits,
    holds: limitHolds,
    clock,
    notifier: controlNotifier,
  });
  const heldPayments = createHeldPayments([queues.executions, queues.runLines]);
  const freezes = createFreezeService({
    freezes: freezeStore,
    held: heldPayments,
    audit,
    notifier: controlNotifier,
    clock,
  });
  const limitOverrides = createLimitOverrides({ holds: limitHolds, held: heldPayments, audit, clock });
  const payments = createPaymentService({
    gateway,
    attempts: createRedisPaymentAttempts(redis, replicaAck),
    ledger,
    guard,
    clock,
    log: logger,
  });
  // Held payments name their seller by account: the seller record gives the person to mention.
  const heldOnHome = async () => {
    const { holds, total } = await limitOverrides.waiting(HELD_ON_HOME);
    return {
      holds: await Promise.all(
        holds.map(async (hold) => ({ hold, payee: (await sellerStore.getByAccount(hold.accountId))?.userId })),
      ),
      total,
    };
  };
  // The Home tab shows requests, held payments, freezes, balances, schedules and the latest reconcile: read when it is published.
  const home = createHomePublisher({
    slack,
    redis,
    logger,
    load: async (teamId, userId): Promise<HomeData> => {
      const { waiting, mine } = await requests.homeLists(userId);
      const approver = waiting
        ? {
            waiting,
            held: await heldOnHome(),
            freezes: await freezes.list(),
            balances: await gateway.balance().then(
              (b) => b.available,
              () => undefined,
            ),
            schedules: await schedules.list(teamId),
            reconcile: await reconcile.latest(),
          }
        : undefined;
      return { userId, ...(approver ? { approver } : {}), ...(mine ? { mine } : {}) };
    },
  });
  const requestNotifier = refreshingHomes(
    createRequestNotifier(
      messenger,
      { approvals: config.SLACK_APPROVALS_CHANNEL, ops: config.SLACK_OPS_CHANNEL },
      logger,
    ),
    home,
    logger,
  );
  const plan = thenCheckFunds(createRedisPlanStore(redis), ['set', 'remove'], fundingChecks);
  const payoutNotifier = instrumentPayoutNotifier(
    createPayoutNotifier(messenger, redis, config.SLACK_OPS_CHANNEL, logger, (runId, count) =>
      runStore.firstLines(runId, count),
    ),
    metrics,
  );
  const runs = createRunService({
    audit,
    payments,
    gateway,
    runs: runStore,
    queue: createRunQueue(queues.runLines, queues.maintenance),
    notifier: payoutNotifier,
    clock,
  });
  const scheduleStore = thenCheckFunds(createRedisScheduleStore(redis), ['create', 'update'], fundingChecks);
  const schedules = createScheduleService({
    schedules: scheduleStore,
    firings: createRedisFiringStore(redis),
    scheduler: createBullScheduler(queues.schedules),
    plan,
    runs,
    payments,
    paymentQueue,
    notifier: payoutNotifier,
    audit,
    requests: { create: (input) => requests.create(input) },
    claimOnce: (scope, id) => once.claim(scope, id, 30 * 86_400),
    clock,
    lateAfterMs: LATE_FIRING_MS,
  });
  const fundingNotifier = createFundingNotifier(messenger, config.SLACK_OPS_CHANNEL, logger);
  const autoFunding = createAutoFundingService({
    store: createRedisAutoFundingStore(redis),
    payments,
    queue: paymentQueue,
    audit,
    notifier: fundingNotifier,
    clock,
    holidays: config.FUNDING_HOLIDAYS,
  });
  const funding = createFundingService({
    gateway,
    requests: requestStore,
    runs: runStore,
    schedules: scheduleStore,
    plan,
    clock,
    settings: {
      buffer: config.FUNDING_BUFFER,
      holidays: config.FUNDING_HOLIDAYS,
      settlementDays: config.TOPUP_SETTLEMENT_BUSINESS_DAYS,
    },
    notices: shortfallNotices,
    notifier: fundingNotifier,
    auto: autoFunding,
  });
  const sellers = createSellerService({
    gateway,
    store: sellerStore,
    tokens,
    urls: connectUrls(config.PUBLIC_URL),
    notifier: createOnboardingNotifier(messenger, config.SLACK_OPS_CHANNEL),
    plan,
    audit,
    claimOnce: (scope, id, ttlSeconds) => once.claim(scope, id, ttlSeconds),
    bankChangeHoldHours: config.BANK_CHANGE_HOLD_HOURS,
    clock,
  });
  const execution = createExecutionService({
    payments,
    gateway,
    store: requestStore,
    queue: paymentQueue,
    notifier: requestNotifier,
    clock,
    applyRecord: createRecordEffects({
      plan,
      requests: requestStore,
      schedules,
      runs,
      freezes,
      overrides: limitOverrides,
      autoFunding,
      clock,
    }),
  });
  const reminders = createReminderService({
    store: requestStore,
    queue: createReminderQueue(queues.maintenance, clock, logger),
    remind: threadReminder(messenger, config.PAYOUT_APPROVERS),
    claimOnce: (scope, id, ttlSeconds) => once.claim(scope, id, ttlSeconds),
    clock,
  });
  const requests = createRequestService({
    gateway,
    store: requestStore,
    sellers: sellerStore,
    access,
    queue: paymentQueue,
    notifier: requestNotifier,
    plan,
    clock,
    policy: {
      thresholds: config.DUAL_APPROVAL_THRESHOLDS,
      maxima: config.MAX_REQUEST_AMOUNTS,
      approvalTtlSeconds: config.APPROVAL_TTL_SECONDS,
      bankChangeHoldHours: config.BANK_CHANGE_HOLD_HOURS,
    },
    funds: (amounts, available) => funding.fundsFor(amounts, available),
    heldByLimit: (payoutRef) => limitOverrides.held(payoutRef),
    limitsLeft: createLimitsLeft({ velocity, limits: dailyLimits, clock }),
    reminders,
  });
  const reconcile = createReconcileService({
    ledger,
    stripe: createStripeLists(stripe),
    store: reconcileStore,
    scratch: createRedisReconcileScratchSpace(redis),
    audit,
    notifier: createReconcileNotifier(messenger, config.SLACK_OPS_CHANNEL),
    clock,
  });
  return {
    config,
    logger,
    clock,
    redis,
    stripe,
    access,
    tokens,
    sellers,
    requests,
    home,
    execution,
    payments,
    settle: createSettlement(
      gateway,
      {
        request: (ref, state) => execution.settle(ref.requestId, state),
        'run-line': (ref, state) => runs.settle(ref.runId, ref.lineKey, state),
        'scheduled-topup': (ref, state) => schedules.topupSettled(ref.periodKey, state),
        'auto-topup': (ref, state) => autoFunding.settled(ref.currency, ref.day, state),
      },
      ledger,
    ),
    reminders,
    plan,
    runs,
    schedules,
    freezes,
    limitOverrides,
    reconcile,
    funding,
    autoFunding,
    fundingChecks,
    audit,
    queues,
    verifyWebhook: createWebhookVerifier(stripe, config.STRIPE_WEBHOOK_SECRET),
    metrics,
    treasury: createTreasury(gateway),
    payoutPlan: createPlanService({ store: plan, audit, clock }),
    auditTrail: createAuditService({ log: audit, inbox: messenger, clock }),
    exports: createExports({ inbox: messenger, clock }),
    deliveries: createDeliveries((scope, id, ttlSeconds) => once.claim(scope, id, ttlSeconds)),
    batches: createBatchIntake({
      attachments: createAttachedFiles(config.SLACK_BOT_TOKEN),
      sellers,
      mentionedUser: parseUserMention,
    }),
    async close() {
      await queues.close();
      await closeRedis(redis);
    },
  };
}
