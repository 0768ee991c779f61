import { describe, expect, it } from 'vitest';
import { reminderPoints } from '../../src/domain/reminders.js';

const at = (iso: string) => Date.parse(iso);

describe('reminderPoints', () => {
  it('when a request lives 24 hours, then it is reminded about at 12 hours and one hour before it expires', () => {
    expect(reminderPoints({ requestedAt: '2026-03-01T00:00:00.000Z', expiresAt: '2026-03-02T00:00:00.000Z' })).toEqual([
      { point: 'halfway', at: at('2026-03-01T12:00:00.000Z') },
      { point: 'closing', at: at('2026-03-01T23:00:00.000Z') },
    ]);
  });

  it('when a request lives an hour, then the second reminder comes at 90% instead of before it was made', () => {
    expect(reminderPoints({ requestedAt: '2026-03-01T00:00:00.000Z', expiresAt: '2026-03-01T01:00:00.000Z' })).toEqual([
      { point: 'halfway', at: at('2026-03-01T00:30:00.000Z') },
      { point: 'closing', at: at('2026-03-01T00:54:00.000Z') },
    ]);
  });
});
