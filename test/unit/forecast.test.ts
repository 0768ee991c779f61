import { describe, expect, it } from 'vitest';
import { addBusinessDays, isBusinessDay, lastTopupDay, topupAvailableOn } from '../../src/domain/business-days.js';
import { type FlowLabel, type ForecastInput, projectFunds } from '../../src/domain/forecast.js';

const none = new Set<string>();
const usd = (amount: number) => ({ amount, currency: 'usd' });
const run = (schedule: string): FlowLabel => ({ kind: 'scheduled_run', schedule });
const topup: FlowLabel = { kind: 'topup', id: 'tu_1' };

function input(overrides: Partial<ForecastInput> = {}): ForecastInput {
  return {
    today: '2026-12-01',
    days: 14,
    available: [usd(1_000_00)],
    arrivals: [],
    departures: [],
    buffer: new Map(),
    settlementDays: 6,
    holidays: none,
    ...overrides,
  };
}

describe('business days', () => {
  it('when a day is a Saturday, Sunday or a listed holiday, then it is not a business day', () => {
    expect(isBusinessDay('2026-12-12', none)).toBe(false);
    expect(isBusinessDay('2026-12-13', none)).toBe(false);
    expect(isBusinessDay('2026-12-25', new Set(['2026-12-25']))).toBe(false);
    expect(isBusinessDay('2026-12-25', none)).toBe(true);
  });

  it('when a top-up is requested on a Tuesday, then it is available six business days later, over the weekend', () => {
    expect(topupAvailableOn('2026-12-01', 6, none)).toBe('2026-12-09');
  });

  it('when the money is needed on a Monday, then the last day to request a top-up is six business days before', () => {
    expect(lastTopupDay('2026-12-07', 6, none)).toBe('2026-11-27');
    expect(topupAvailableOn('2026-11-27', 6, none)).toBe('2026-12-07');
  });

  it('when the money is needed on a Saturday, then it must be there by Friday', () => {
    expect(lastTopupDay('2026-12-12', 6, none)).toBe(lastTopupDay('2026-12-11', 6, none));
    expect(lastTopupDay('2026-12-11', 6, none)).toBe('2026-12-03');
  });

  it('when a holiday falls inside the lead time, then the deadline moves one business day earlier', () => {
    const christmas = new Set(['2026-12-25']);
    expect(lastTopupDay('2026-12-29', 6, none)).toBe('2026-12-21');
    expect(lastTopupDay('2026-12-29', 6, christmas)).toBe('2026-12-18');
    expect(addBusinessDays('2026-12-24', 1, christmas)).toBe('2026-12-28');
  });
});

describe('projectFunds', () => {
  it('when nothing leaves, then the balance stays what is available now and there is no shortfall', () => {
    const [usdForecast] = projectFunds(input());
    expect(usdForecast?.days).toHaveLength(14);
    expect(usdForecast?.days.every((d) => d.balance === 1_000_00)).toBe(true);
    expect(usdForecast?.shortfalls).toEqual([]);
  });

  it('when a run takes more than the balance, then its day is the first shortfall, with the amount short and the last day to top up', () => {
    const [f] = projectFunds(
      input({ departures: [{ day: '2026-12-14', money: usd(1_500_00), label: run('Weekly run') }] }),
    );
    expect(f?.shortfalls).toEqual([
      {
        currency: 'usd',
        day: '2026-12-14',
        amount: 500_00,
        belowZero: true,
        lastTopupDay: '2026-12-04',
        tooLate: false,
        leaving: [run('Weekly run')],
      },
    ]);
    expect(f?.days.find((d) => d.day === '2026-12-14')?.balance).toBe(-500_00);
  });

  it('when a pending top-up is due before the run, then it covers the run', () => {
    const [f] = projectFunds(
      input({
        arrivals: [{ day: '2026-12-11', money: usd(600_00), label: topup }],
        departures: [{ day: '2026-12-14', money: usd(1_500_00), label: run('run') }],
      }),
    );
    expect(f?.shortfalls).toEqual([]);
    expect(f?.days.at(-1)?.balance).toBe(100_00);
  });

  it('when a pending top-up is due after the run, then the run is still short', () => {
    const [f] = projectFunds(
      input({
        arrivals: [{ day: '2026-12-15', money: usd(600_00), label: topup }],
        departures: [{ day: '2026-12-14', money: usd(1_500_00), label: run('run') }],
      }),
    );
    expect(f?.shortfalls.map((s) => [s.day, s.amount])).toEqual([['2026-12-14', 500_00]]);
  });

  it('when a buffer is set, then a balance below it is short by the difference, though above zero', () => {
    const [f] = projectFunds(
      input({
        buffer: new Map([['usd', 300_00]]),
        departures: [{ day: '2026-12-03', money: usd(800_00), label: run('run') }],
      }),
    );
    expect(f?.shortfalls).toEqual([expect.objectContaining({ day: '2026-12-03', amount: 100_00, belowZero: false })]);
  });

  it('when two runs are short, then the second shortfall is only what the first does not already cover', () => {
    const [f] = projectFunds(
      input({
        departures: [
          { day: '2026-12-07', money: usd(1_200_00), label: run('run 1') },
          { day: '2026-12-14', money: usd(300_00), label: run('run 2') },
        ],
      }),
    );
    expect(f?.shortfalls.map((s) => [s.day, s.amount])).toEqual([
      ['2026-12-07', 200_00],
      ['2026-12-14', 300_00],
    ]);
  });

  it('when a held run is overdue, then it counts today, and a shortfall whose deadline passed is marked too late', () => {
    const [f] = projectFunds(
      input({ departures: [{ day: '2026-11-20', money: usd(1_100_00), label: run('held run') }] }),
    );
    expect(f?.days[0]).toMatchObject({ day: '2026-12-01', departures: 1_100_00, balance: -100_00 });
    expect(f?.shortfalls[0]).toMatchObject({ day: '2026-12-01', tooLate: true, lastTopupDay: '2026-11-23' });
  });

  it('when money moves beyond the horizon or in another currency, then it is projected apart or not at all', () => {
    const forecasts = projectFunds(
      input({
        days: 5,
        departures: [
          { day: '2026-12-10', money: usd(5_000_00), label: run('later') },
          { day: '2026-12-02', money: { amount: 50_00, currency: 'eur' }, label: run('eur run') },
        ],
      }),
    );
    expect(forecasts.map((f) => f.currency)).toEqual(['eur', 'usd']);
    expect(forecasts[0]?.shortfalls[0]).toMatchObject({ currency: 'eur', day: '2026-12-02', amount: 50_00 });
    expect(forecasts[1]?.shortfalls).toEqual([]);
  });
});
