import type { Queue } from 'bullmq';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { FreezeStore, ReconcileStore, ShortfallNoticeStore } from '../../domain/ports.js';

/** The job states a queue is counted in. */
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** From seconds to days: an approval can take a day, a payment a few seconds. */
const WAIT_BUCKETS = [1, 5, 15, 60, 300, 900, 3_600, 4 * 3_600, 86_400, 3 * 86_400];

export interface Metrics {
  registry: Registry;
  /** Requests that entered a state (`created` when posted), by kind. */
  requests: Counter<'kind' | 'state'>;
  /** Seconds from a request to its approval or rejection. */
  toDecision: Histogram<'kind' | 'decision'>;
  /** Seconds from a request to its payment being made. */
  toPayment: Histogram<'kind'>;
  /** Every Stripe call the gateway makes; `code` is Stripe's error code, empty on success. */
  stripeCalls: Counter<'method' | 'outcome' | 'code'>;
  stripeRateLimited: Counter<'method'>;
  /** Jobs BullMQ found stalled (their lock lapsed) and put back, per queue. */
  stalledJobs: Counter<'queue'>;
  missedFirings: Counter;
}

/**
 * One registry per running bot (not prom-client's global one, so tests can run several bots in one process).
 * Queue counts and the last reconciliation are read from Redis at scrape time.
 */
export function createMetrics(sources: {
  queues: Queue[];
  reconcile: ReconcileStore;
  freezes: Pick<FreezeStore, 'list'>;
  shortfalls: Pick<ShortfallNoticeStore, 'open'>;
  updateBudgetLeft: () => Promise<number>;
}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'payout_queue_jobs',
    help: 'BullMQ jobs per queue and state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      for (const queue of sources.queues) {
        const counts = await queue.getJobCounts(...QUEUE_STATES);
        for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
      }
    },
  });
  new Gauge({
    name: 'payout_reconcile_differences',
    help: 'Differences with Stripe found by the latest reconciliation',
    registers: [registry],
    async collect() {
      const latest = await sources.reconcile.latest();
      this.set(latest?.differences.length ?? 0);
    },
  });
  new Gauge({
    name: 'payout_slack_update_budget_left',
    help: 'chat.update calls left this minute in the budget run progress views share (Slack Tier 3)',
    registers: [registry],
    async collect() {
      this.set(await sources.updateBudgetLeft());
    },
  });
  new Gauge({
    name: 'payout_freezes',
    help: 'Freezes in force (the kill switch), by scope kind',
    labelNames: ['scope'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const freeze of await sources.freezes.list()) this.inc({ scope: freeze.scope.kind });
    },
  });
  new Gauge({
    name: 'payout_forecast_shortfall_minor',
    help: 'What the open funding shortfall notices say is short, per currency, in minor units',
    labelNames: ['currency'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const notice of await sources.shortfalls.open())
        if (notice.status === 'open') this.inc({ currency: notice.currency }, notice.amount);
    },
  });
  return {
    registry,
    requests: new Counter({
      name: 'payout_requests_total',
      help: 'Payout requests that entered a state, by kind',
      labelNames: ['kind', 'state'],
      registers: [registry],
    }),
    toDecision: new Histogram({
      name: 'payout_request_decision_seconds',
      help: 'Time from a request to its approval or rejection',
      labelNames: ['kind', 'decision'],
      buckets: WAIT_BUCKETS,
      registers: [registry],
    }),
    toPayment: new Histogram({
      name: 'payout_request_payment_seconds',
      help: 'Time from a request to its payment',
      labelNames: ['kind'],
      buckets: WAIT_BUCKETS,
      registers: [registry],
    }),
    stripeCalls: new Counter({
      name: 'payout_stripe_calls_total',
      help: 'Stripe API calls by gateway method and outcome, with Stripe error code',
      labelNames: ['method', 'outcome', 'code'],
      registers: [registry],
    }),
    stripeRateLimited: new Counter({
      name: 'payout_stripe_rate_limited_total',
      help: 'Stripe calls answered 429',
      labelNames: ['method'],
      registers: [registry],
    }),
    stalledJobs: new Counter({
      name: 'payout_queue_stalled_jobs_total',
      help: 'Jobs whose lock lapsed and that BullMQ put back to run again, per queue',
      labelNames: ['queue'],
      registers: [registry],
    }),
    missedFirings: new Counter({
      name: 'payout_schedule_missed_firings_total',
      help: 'Scheduled firings that did not happen',
      registers: [registry],
    }),
  };
}
