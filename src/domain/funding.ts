import type { AutoFundingService } from './auto-funding.js';
import { addBusinessDays, addDays, type Day, dayOf, startOfDay, topupAvailableOn } from './business-days.js';
import type { Clock } from './clock.js';
import { type CurrencyForecast, type Flow, projectFunds } from './forecast.js';
import type { ShortfallNotice } from './funding.types.js';
import { type CurrencyAmounts, type Money, totalsOf } from './money.js';
import type {
  FundingGateway,
  FundingNotifier,
  MoneyGateway,
  PlanStore,
  RequestStore,
  RunStore,
  ScheduleStore,
  ShortfallNoticeStore,
} from './ports.js';
import type { FundsCheck } from './requests.types.js';
import { firingsBetween, type ScheduleTime } from './schedule-time.js';

export const FORECAST_DAYS = { default: 14, max: 60 } as const;

/** Ops is told of a shortfall this many business days before the last day to top up, at the latest. */
export const NOTICE_MARGIN_BUSINESS_DAYS = 2;

/** A schedule firing every minute would list thousands of firings: this many per schedule are plenty for 60 days of daily runs. */
const MAX_FIRINGS_PER_SCHEDULE = 400;

export interface FundingSettings {
  buffer: CurrencyAmounts;
  holidays: ReadonlySet<Day>;
  settlementDays: number;
}

export interface FundingDeps {
  gateway: MoneyGateway & FundingGateway;
  requests: Pick<RequestStore, 'committed'>;
  runs: Pick<RunStore, 'open' | 'counts'>;
  schedules: Pick<ScheduleStore, 'list'>;
  plan: Pick<PlanStore, 'list'>;
  clock: Clock;
  settings: FundingSettings;
  notices: ShortfallNoticeStore;
  notifier: FundingNotifier;
  auto: Pick<AutoFundingService, 'handle'>;
}

export interface FundingForecast {
  /** When the balance was read. */
  at: Date;
  today: Day;
  days: number;
  /** Top-ups can only be made in this currency (Stripe's rule): the others are warned about only. */
  topupCurrency: string;
  settlementDays: number;
  currencies: CurrencyForecast[];
}

export interface FundingService {
  /** The projected balance per currency for the next `days` days, from Stripe's balance and money in flight, and our records. */
  forecast(days?: number): Promise<FundingForecast>;
  /**
   * Looks as far ahead as a top-up takes (plus a margin): a shortfall that a standing permission covers gets its
   * top-up in time; each other one gets one notice, updated in place as it changes, and marked covered when the
   * forecast no longer shows it. Safe to run on several workers at once.
   */
  check(): Promise<{ shortfalls: number }>;
  notice(key: string): Promise<ShortfallNotice | undefined>;
  /** For an approval card: per currency, what is available now and what approved payments will take first. */
  /** `available`: the balance as the caller has just read it (else it is read here). */
  fundsFor(amounts: Money[], available?: Money[]): Promise<FundsCheck>;
}

const noticeKey = (shortfall: { currency: string; day: Day }) => `${shortfall.currency}-${shortfall.day}`;

/** The fields a person sees: a notice changes (and its message is updated) only when one of them does. */
const shown = (n: Pick<ShortfallNotice, 'amount' | 'belowZero' | 'lastTopupDay' | 'tooLate' | 'leaving' | 'status'>) =>
  JSON.stringify([n.amount, n.belowZero, n.lastTopupDay, n.tooLate, n.leaving, n.status]);

export function createFundingService(deps: FundingDeps): FundingService {
  const { settings } = deps;

  /** What arrives: pending funds by their date, pending top-ups by Stripe's expected date (else our estimate), scheduled and approved top-ups by our estimate. */
  async function arrivals(today: Day, until: Date): Promise<Flow[]> {
    const inFlight = await deps.gateway.fundsInFlight();
    const estimate = (requested: Day) => topupAvailableOn(requested, settings.settlementDays, settings.holidays);
    const flows: Flow[] = [
      ...inFlight.pending.map(
        (p): Flow => ({ day: dayOf(p.availableOn), money: p.money, label: { kind: 'pending_funds' } }),
      ),
      ...inFlight.topups.map(
        (t): Flow => ({
          day: t.expectedAvailableOn ? dayOf(t.expectedAvailableOn) : estimate(dayOf(t.created)),
          money: t.money,
          label: { kind: 'topup', id: t.id },
        }),
      ),
    ];
    for (const schedule of await deps.schedules.list()) {
      if (schedule.status !== 'active' || schedule.action !== 'topup' || !schedule.money) continue;
      for (const firing of firingsUntil(schedule.time, deps.clock.now(), until))
        flows.push({
          day: estimate(dayOf(firing)),
          money: schedule.money,
          label: { kind: 'scheduled_topup', schedule: schedule.time.label },
        });
    }
    for (const request of await deps.requests.committed()) {
      if (request.kind === 'topup')
        flows.push({ day: estimate(today), money: request.money, label: { kind: 'topup', id: request.id } });
    }
    return flows;
  }

  /** What leaves: what is committed already, and every firing of each active run schedule at the plan's totals. */
  async function departures(today: Day, until: Date): Promise<Flow[]> {
    const flows = await committed(today);
    const plans = new Map<string, Flow['money'][]>();
    for (const schedule of await deps.schedules.list()) {
      if (schedule.status !== 'active' || schedule.action !== 'run') continue;
      if (!plans.has(schedule.teamId)) plans.set(schedule.teamId, totalsOf(await deps.plan.list(schedule.teamId)));
      for (const firing of firingsUntil(schedule.time, deps.clock.now(), until)) {
        for (const money of plans.get(schedule.teamId) ?? [])
          flows.push({ day: dayOf(firing), money, label: { kind: 'scheduled_run', schedule: schedule.time.label } });
      }
    }
    return flows;
  }

  /** Money already promised: approved payments not yet made, and runs not finished. */
  async function committed(today: Day): Promise<Flow[]> {
    const flows: Flow[] = [];
    for (const request of await deps.requests.committed()) {
      if (request.kind === 'transfer')
        flows.push({ day: today, money: request.money, label: { kind: 'transfer', requestId: request.id } });
      // A run request's totals are its lines' totals, per currency.
      if (request.kind === 'run')
        for (const money of request.totals)
          flows.push({ day: today, money, label: { kind: 'run_request', requestId: request.id } });
    }
    for (const run of await deps.runs.open()) {
      const paid = run.status === 'running' ? (await deps.runs.counts(run.id)).paidTotals : [];
      for (const total of run.totals) {
        const left = total.amount - (paid.find((p) => p.currency === total.currency)?.amount ?? 0);
        if (left > 0)
          flows.push({
            day: today,
            money: { amount: left, currency: total.currency },
            label: { kind: 'run', runId: run.id, status: run.status },
          });
      }
    }
    return flows;
  }

  async function forecast(days: number = FORECAST_DAYS.default): Promise<FundingForecast> {
    const at = deps.clock.now();
    const today = dayOf(at);
    const until = startOfDay(addDays(today, days));
    const [balance, platform, inflows, outflows] = await Promise.all([
      deps.gateway.balance(),
      deps.gateway.platformAccount(),
      arrivals(today, until),
      departures(today, until),
    ]);
    const currencies = projectFunds({
      today,
      days,
      available: balance.available,
      arrivals: inflows,
      departures: outflows,
      ...settings,
    });
    return {
      at,
      today,
      days,
      topupCurrency: platform.defaultCurrency,
      settlementDays: settings.settlementDays,
      currencies,
    };
  }

  /** One notice per shortfall: the first worker to claim it posts it; later checks update it when what it says changes. */
  async function tell(notice: ShortfallNotice): Promise<void> {
    if (await deps.notices.claim(notice)) {
      try {
        const message = await deps.notifier.shortfallPosted(notice);
        await deps.notices.update(notice.key, (n) => ({ ...n, message }));
      } catch (error) {
        await deps.notices.release(notice.key);
        throw error;
      }
      return;
    }
    const updated = await deps.notices.update(notice.key, (n) =>
      n.message && shown(n) !== shown(notice) ? { ...notice, message: n.message } : undefined,
    );
    if (updated?.changed) await deps.notifier.shortfallChanged(updated.after);
  }

  async function close(notice: ShortfallNotice, status: 'covered' | 'passed'): Promise<void> {
    const updated = await deps.notices.update(notice.key, (n) =>
      n.status === 'open' && n.message ? { ...n, status, updatedAt: deps.clock.now().toISOString() } : undefined,
    );
    if (updated?.changed) await deps.notifier.shortfallChanged(updated.after);
  }

  return {
    forecast,

    notice: (key) => deps.notices.get(key),

    async fundsFor(amounts, available) {
      const at = deps.clock.now();
      const [balanceAvailable, promised] = await Promise.all([
        available ?? deps.gateway.balance().then((b) => b.available),
        committed(dayOf(at)),
      ]);
      const sumOf = (list: Money[], currency: string) =>
        list.filter((m) => m.currency === currency).reduce((total, m) => total + m.amount, 0);
      return {
        at: at.toISOString(),
        currencies: amounts.map(({ currency, amount }) => ({
          currency,
          amount,
          available: sumOf(balanceAvailable, currency),
          committed: sumOf(
            promised.map((f) => f.money),
            currency,
          ),
        })),
      };
    },

    async check() {
      const today = dayOf(deps.clock.now());
      const horizon = addBusinessDays(today, settings.settlementDays + NOTICE_MARGIN_BUSINESS_DAYS, settings.holidays);
      const days = Math.round((startOfDay(horizon).getTime() - startOfDay(today).getTime()) / 86_400_000) + 1;
      const projected = await forecast(days);
      const shortfalls = projected.currencies.flatMap((c) => c.shortfalls);
      const updatedAt = deps.clock.now().toISOString();
      for (const shortfall of shortfalls) {
        if ((await deps.auto.handle(shortfall, projected.topupCurrency, today)) !== 'notify') continue;
        await tell({
          ...shortfall,
          key: noticeKey(shortfall),
          status: 'open',
          topupCurrency: projected.topupCurrency,
          message: null,
          updatedAt,
        });
      }
      const current = new Set(shortfalls.map(noticeKey));
      for (const notice of await deps.notices.open()) {
        if (!current.has(notice.key)) await close(notice, notice.day < today ? 'passed' : 'covered');
      }
      return { shortfalls: shortfalls.length };
    },
  };
}

const firingsUntil = (time: ScheduleTime, from: Date, until: Date): Date[] =>
  firingsBetween(time, from, until, MAX_FIRINGS_PER_SCHEDULE).filter((firing) => firing < until);
