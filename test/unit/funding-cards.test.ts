import { describe, expect, it } from 'vitest';
import { type PayoutRequest, type RequestOf, summarizeRun } from '../../src/domain/requests.types.js';
import { approvalMessage } from '../../src/slack/blocks/requests.js';
import { requestBase } from '../support/request-fixtures.js';

const AT = '2026-12-01T09:30:00.000Z';
const runRequest = (funds: RequestOf<'run'>['funds']): PayoutRequest => ({
  ...requestBase(AT, {
    id: 'req_run',
    teamId: 'T0TEAM',
    requestedBy: 'U0OPS',
    money: { amount: 3_000_00, currency: 'usd' },
    totals: [
      { amount: 800_00, currency: 'eur' },
      { amount: 3_000_00, currency: 'usd' },
    ],
    availableAtRequest: { amount: 5_000_00, currency: 'usd' },
    requiredApprovals: 2,
  }),
  kind: 'run',
  funds,
  run: summarizeRun({ source: 'csv', lines: [] }),
});
const text = (request: PayoutRequest) => JSON.stringify(approvalMessage(request).blocks);

describe('the balance on an approval card', () => {
  it('when a run moves two currencies, then the card shows each, what approved payments leave, whether it exceeds that, and the time it was read', () => {
    const card = text(
      runRequest({
        at: AT,
        currencies: [
          { currency: 'eur', available: 2_000_00, committed: 0, amount: 800_00 },
          { currency: 'usd', available: 5_000_00, committed: 2_500_00, amount: 3_000_00 },
        ],
      }),
    );
    expect(card).toContain('*Available now* (as of 09:30 UTC)');
    expect(card).toContain('€2,000.00 :white_check_mark:');
    expect(card).toContain('$5,000.00, $2,500.00 after approved payments :warning: short by $500.00');
    expect(card).toContain('Approve anyway');
    expect(card).toContain('"confirm":{"title":{"type":"plain_text","text":"More than the balance"}');
  });

  it('when the balance covers a one-approver request, then the card says so and Approve needs no confirmation', () => {
    const card = text({
      ...runRequest({ at: AT, currencies: [{ currency: 'usd', available: 5_000_00, committed: 0, amount: 3_000_00 }] }),
      requiredApprovals: 1,
    });
    expect(card).toContain('$5,000.00 :white_check_mark:');
    expect(card).not.toContain('confirm');
  });

  it('when a request was made before cards showed funds, then it shows the balance read when it was requested', () => {
    expect(text(runRequest(undefined))).toContain('*Available now*\\n$5,000.00');
  });
});
