import { describe, expect, it } from 'vitest';
import type { FlowLabel } from '../../src/domain/forecast.js';
import type { ShortfallNotice } from '../../src/domain/funding.types.js';
import { forecastMessage, shortfallNoticeMessage } from '../../src/slack/blocks/funding.js';

const EVERY_KIND: FlowLabel[] = [
  { kind: 'pending_funds' },
  { kind: 'topup', id: 'tu_1' },
  { kind: 'scheduled_topup', schedule: 'every day at 09:00 (UTC)' },
  { kind: 'transfer', requestId: 'req_1' },
  { kind: 'run_request', requestId: 'req_2' },
  { kind: 'run', runId: 'run_1', status: 'held' },
  { kind: 'scheduled_run', schedule: 'every Monday at 09:00 (UTC)' },
];

const notice = (leaving: ShortfallNotice['leaving']): ShortfallNotice => ({
  currency: 'usd',
  day: '2026-12-14',
  amount: 500_00,
  belowZero: true,
  lastTopupDay: '2026-12-04',
  tooLate: false,
  leaving,
  key: 'usd-2026-12-14',
  status: 'open',
  topupCurrency: 'usd',
  message: null,
  updatedAt: '2026-12-01T09:30:00.000Z',
});

describe('what a flow is, in words', () => {
  it('when a forecast day has a flow of each kind, then each reads as a person knows it, ids as code', () => {
    const day = { day: '2026-12-01', arrivals: 0, departures: 100_00, balance: -100_00, leaving: EVERY_KIND };
    const message = forecastMessage({
      at: new Date('2026-12-01T09:30:00.000Z'),
      today: '2026-12-01',
      days: 1,
      topupCurrency: 'usd',
      settlementDays: 6,
      currencies: [{ currency: 'usd', availableNow: 0, buffer: 0, days: [day], shortfalls: [] }],
    });
    expect(JSON.stringify(message.blocks)).toContain(
      '_pending funds, top-up `tu_1`, scheduled top-up (every day at 09:00 (UTC)), transfer `req_1`, run `req_2`, held run `run_1`, run every Monday at 09:00 (UTC)_',
    );
  });

  it('when a shortfall notice written before labels were facts is redrawn, then the words it kept are shown', () => {
    const text = JSON.stringify(
      shortfallNoticeMessage(notice(['run every Monday at 09:00 (UTC)', { kind: 'topup', id: 'tu_1' }])).blocks,
    );
    expect(text).toContain('short by *$500.00* (run every Monday at 09:00 (UTC), top-up `tu_1`)');
  });
});
