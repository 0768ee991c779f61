import { addDays, type Day, lastTopupDay } from './business-days.js';
import type { CurrencyAmounts, Money } from './money.js';
import type { Run } from './payouts.types.js';

/** What a flow is, as facts: the Slack edge words it (`src/slack/blocks/funding.ts`). */
export type FlowLabel =
  | { kind: 'pending_funds' }
  /** A top-up at Stripe (`tu_…`), or an approved top-up request not made yet. */
  | { kind: 'topup'; id: string }
  /** `schedule`: the schedule's time, as `ScheduleTime.label` says it. */
  | { kind: 'scheduled_topup'; schedule: string }
  | { kind: 'transfer'; requestId: string }
  | { kind: 'run_request'; requestId: string }
  | { kind: 'run'; runId: string; status: Run['status'] }
  | { kind: 'scheduled_run'; schedule: string };

/** Money that arrives or leaves on a day; `label` says what it is. */
export interface Flow {
  day: Day;
  money: Money;
  label: FlowLabel;
}

export interface ForecastInput {
  today: Day;
  /** How many days to project, today included. */
  days: number;
  available: Money[];
  arrivals: Flow[];
  departures: Flow[];
  /** Per currency, in minor units: the balance should stay at or above this (FUNDING_BUFFER). */
  buffer: CurrencyAmounts;
  settlementDays: number;
  holidays: ReadonlySet<Day>;
}

export interface ForecastDay {
  day: Day;
  arrivals: number;
  departures: number;
  /** The projected available balance at the end of the day. */
  balance: number;
  /** What leaves that day. */
  leaving: FlowLabel[];
}

/**
 * A day on which the projected balance goes below the buffer (or zero), and by how much beyond what earlier shortfalls
 * already need: a top-up of `amount` available by `day` covers it. `lastTopupDay` is the last business day on which
 * a top-up can be requested in time; `tooLate` when that day has passed.
 */
export interface Shortfall {
  currency: string;
  day: Day;
  amount: number;
  belowZero: boolean;
  lastTopupDay: Day;
  tooLate: boolean;
  leaving: FlowLabel[];
}

export interface CurrencyForecast {
  currency: string;
  availableNow: number;
  buffer: number;
  days: ForecastDay[];
  shortfalls: Shortfall[];
}

/** Flows dated before today (a held run, an approved payment not yet made) count today; those beyond the horizon not at all. */
function onDay(flows: Flow[], currency: string, today: Day, last: Day): Map<Day, Flow[]> {
  const byDay = new Map<Day, Flow[]>();
  for (const flow of flows) {
    if (flow.money.currency !== currency || flow.day > last) continue;
    const day = flow.day < today ? today : flow.day;
    byDay.set(day, [...(byDay.get(day) ?? []), flow]);
  }
  return byDay;
}

const sum = (flows: Flow[] | undefined) => (flows ?? []).reduce((total, flow) => total + flow.money.amount, 0);

/** The projected balance per currency, day by day, and each day it falls short. Pure: every input is a plain value. */
export function projectFunds(input: ForecastInput): CurrencyForecast[] {
  const last = addDays(input.today, input.days - 1);
  const currencies = [
    ...new Set(
      [...input.available, ...input.arrivals.map((f) => f.money), ...input.departures.map((f) => f.money)].map(
        (m) => m.currency,
      ),
    ),
  ].sort();
  return currencies.map((currency) => {
    const availableNow = input.available.find((m) => m.currency === currency)?.amount ?? 0;
    const buffer = input.buffer.get(currency) ?? 0;
    const arrivals = onDay(input.arrivals, currency, input.today, last);
    const departures = onDay(input.departures, currency, input.today, last);
    const days: ForecastDay[] = [];
    const shortfalls: Shortfall[] = [];
    let balance = availableNow;
    // What the shortfalls found so far would add: each later one is only what they do not already cover.
    let covered = 0;
    for (let i = 0; i < input.days; i++) {
      const day = addDays(input.today, i);
      const leaving = (departures.get(day) ?? []).map((f) => f.label);
      const inflow = sum(arrivals.get(day));
      const outflow = sum(departures.get(day));
      balance += inflow - outflow;
      days.push({ day, arrivals: inflow, departures: outflow, balance, leaving });
      if (balance + covered < buffer) {
        const amount = buffer - (balance + covered);
        const deadline = lastTopupDay(day, input.settlementDays, input.holidays);
        shortfalls.push({
          currency,
          day,
          amount,
          belowZero: balance + covered < 0,
          lastTopupDay: deadline,
          tooLate: deadline < input.today,
          leaving,
        });
        covered += amount;
      }
    }
    return { currency, availableNow, buffer, days, shortfalls };
  });
}
