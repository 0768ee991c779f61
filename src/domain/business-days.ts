/**
 * Calendar days as `YYYY-MM-DD` in UTC (Stripe dates balance transactions and top-ups by UTC day), and business days:
 * neither a weekend nor one of `holidays` (FUNDING_HOLIDAYS).
 */
export type Day = string;

const MS_PER_DAY = 86_400_000;

export const dayOf = (date: Date): Day => date.toISOString().slice(0, 10);

export const startOfDay = (day: Day): Date => new Date(`${day}T00:00:00.000Z`);

export const addDays = (day: Day, count: number): Day =>
  dayOf(new Date(startOfDay(day).getTime() + count * MS_PER_DAY));

export const isDay = (text: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(startOfDay(text).getTime()) && dayOf(startOfDay(text)) === text;

export function isBusinessDay(day: Day, holidays: ReadonlySet<Day>): boolean {
  const weekday = startOfDay(day).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(day);
}

/** The `count`-th business day after `day` (count 0: `day` itself when it is one, else the next one). */
export function addBusinessDays(day: Day, count: number, holidays: ReadonlySet<Day>): Day {
  let current = day;
  if (count === 0) {
    while (!isBusinessDay(current, holidays)) current = addDays(current, 1);
    return current;
  }
  for (let left = count; left > 0; ) {
    current = addDays(current, 1);
    if (isBusinessDay(current, holidays)) left--;
  }
  return current;
}

/** The `count`-th business day before `day`. */
export function subtractBusinessDays(day: Day, count: number, holidays: ReadonlySet<Day>): Day {
  let current = day;
  for (let left = count; left > 0; ) {
    current = addDays(current, -1);
    if (isBusinessDay(current, holidays)) left--;
  }
  return current;
}

/** When a top-up requested on `requested` becomes available: `settlementDays` business days later. */
export const topupAvailableOn = (requested: Day, settlementDays: number, holidays: ReadonlySet<Day>): Day =>
  addBusinessDays(requested, settlementDays, holidays);

/** The last business day on which a top-up can be requested and still be available on `needed`. */
export function lastTopupDay(needed: Day, settlementDays: number, holidays: ReadonlySet<Day>): Day {
  let latest = needed;
  while (!isBusinessDay(latest, holidays)) latest = addDays(latest, -1);
  return subtractBusinessDays(latest, settlementDays, holidays);
}
