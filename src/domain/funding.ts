import { addDays, dayOf, topupAvailableOn, type Day } from './business-days.js';
import type { Clock } from './clock.js';
import { projectFunds, type CurrencyForecast, type Flow } from './forecast.js';
import type { CurrencyAmounts } from './money.js';
import type { FundingGateway, MoneyGateway, PlanStore, RequestStore, RunStore, ScheduleStore } from './ports.js';
import { totalsOf } from './runs.js';
import { nextFirings } from './schedule-time.js';

export const FORECAST_DAYS = { default: 14, max: 60 } as const;

/** A schedule firing every minute would list thousands of firings: this many per schedule are plenty for 60 days of daily runs. */
const MAX_FIRINGS_PER_SCHEDULE = 400;

export interface FundingSettings {
  buffer: CurrencyAmounts;
  holidays: ReadonlySet<Day>;
  settlementDays: number;
}

export interface FundingDeps {
  gateway: MoneyGateway & FundingGateway;
  requests: Pick<RequestStore, 'open'>;
  runs: Pick<RunStore, 'open' | 'counts'>;
  schedules: Pick<ScheduleStore, 'list'>;
  plan: Pick<PlanStore, 'list'>;
  clock: Clock;
  settings: FundingSettings;
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
}

export function createFundingService(deps: FundingDeps): FundingService {
  const { settings } = deps;

  /** What arrives: pending funds by their date, pending top-ups by Stripe's expected date (else our estimate), scheduled and approved top-ups by our estimate. */
  async function arrivals(today: Day, until: Date): Promise<Flow[]> {
    const inFlight = await deps.gateway.fundsInFlight();
    const estimate = (requested: Day) => topupAvailableOn(requested, settings.settlementDays, settings.holidays);
    const flows: Flow[] = [
      ...inFlight.pending.map((p) => ({ day: dayOf(p.availableOn), money: p.money, label: 'pending funds' })),
      ...inFlight.topups.map((t) => ({ day: t.expectedAvailableOn ? dayOf(t.expectedAvailableOn) : estimate(dayOf(t.created)), money: t.money, label: `top-up \`${t.id}\`` })),
    ];
    for (const schedule of await deps.schedules.list()) {
      if (schedule.status !== 'active' || schedule.action !== 'topup' || !schedule.money) continue;
      for (const firing of firingsUntil(schedule.time, deps.clock.now(), until)) flows.push({ day: estimate(dayOf(firing)), money: schedule.money, label: `scheduled top-up (${schedule.time.label})` });
    }
    for (const request of await deps.requests.open()) {
      if (request.kind === 'topup' && (request.state === 'approved' || request.state === 'executing')) flows.push({ day: estimate(today), money: request.money, label: `top-up \`${request.id}\`` });
    }
    return flows;
  }

  /** What leaves: approved payments not yet made, runs not finished, and every firing of each active run schedule at the plan's totals. */
  async function departures(today: Day, until: Date): Promise<Flow[]> {
    const flows: Flow[] = [];
    for (const request of await deps.requests.open()) {
      if (request.state !== 'approved' && request.state !== 'executing') continue;
      if (request.kind === 'transfer') flows.push({ day: today, money: request.money, label: `transfer \`${request.id}\`` });
      if (request.kind === 'run' && request.run) for (const money of totalsOf(request.run.lines)) flows.push({ day: today, money, label: `run \`${request.id}\`` });
    }
    for (const run of await deps.runs.open()) {
      const paid = run.status === 'running' ? (await deps.runs.counts(run.id)).paidTotals : [];
      for (const total of run.totals) {
        const left = total.amount - (paid.find((p) => p.currency === total.currency)?.amount ?? 0);
        if (left > 0) flows.push({ day: today, money: { amount: left, currency: total.currency }, label: `${run.status} run \`${run.id}\`` });
      }
    }
    const plans = new Map<string, Flow['money'][]>();
    for (const schedule of await deps.schedules.list()) {
      if (schedule.status !== 'active' || schedule.action !== 'run') continue;
      if (!plans.has(schedule.teamId)) plans.set(schedule.teamId, totalsOf(await deps.plan.list(schedule.teamId)));
      for (const firing of firingsUntil(schedule.time, deps.clock.now(), until)) {
        for (const money of plans.get(schedule.teamId) ?? []) flows.push({ day: dayOf(firing), money, label: `run ${schedule.time.label}` });
      }
    }
    return flows;
  }

  return {
    async forecast(days = FORECAST_DAYS.default) {
      const at = deps.clock.now();
      const today = dayOf(at);
      const until = new Date(`${addDays(today, days)}T00:00:00.000Z`);
      const [balance, platform, inflows, outflows] = await Promise.all([deps.gateway.balance(), deps.gateway.platformAccount(), arrivals(today, until), departures(today, until)]);
      const currencies = projectFunds({ today, days, available: balance.available, arrivals: inflows, departures: outflows, ...settings });
      return { at, today, days, topupCurrency: platform.defaultCurrency, settlementDays: settings.settlementDays, currencies };
    },
  };
}

function firingsUntil(time: Parameters<typeof nextFirings>[0], from: Date, until: Date): Date[] {
  return nextFirings(time, from, MAX_FIRINGS_PER_SCHEDULE).filter((firing) => firing < until);
}
