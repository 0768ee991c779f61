import { describe, expect, it, vi } from 'vitest';
import type { NewRequest } from '../../src/domain/requests.js';
import {
  inMemoryRequests,
  STAFF,
  payableSeller as seller,
  TEAM,
  APPROVAL_TTL_SECONDS as TTL_SECONDS,
  testClock,
} from '../support/memory-ports.js';

const NOW = '2026-11-24T12:00:00Z';
const { requester: REQUESTER, approver1: APPROVER_1, approver2: APPROVER_2, seller: SELLER } = STAFF;

function setup(options: Omit<Parameters<typeof inMemoryRequests>[0], 'clock'> = {}) {
  const clock = testClock(NOW);
  return { clock, ...inMemoryRequests({ clock, ...options }) };
}

const transfer = (amount: number, currency = 'eur', requestedBy: string = REQUESTER): NewRequest => ({
  kind: 'transfer',
  teamId: TEAM,
  requestedBy,
  description: null,
  money: { amount, currency },
  sellerUserId: SELLER,
});

describe('requests', () => {
  it('when a transfer under the threshold is approved, then it is approved and queued once by its request id; a second click changes nothing', async () => {
    const { service, queue } = setup();
    const request = await service.create(transfer(100_00));
    expect(request).toMatchObject({
      state: 'pending',
      requiredApprovals: 1,
      destination: { userId: SELLER, accountId: 'acct_seller' },
      message: { channel: 'CAPPROVALS', ts: '1.0' },
    });
    await expect(service.approve(request.id, APPROVER_1)).resolves.toMatchObject({
      outcome: 'approved',
      request: { state: 'approved' },
    });
    expect(queue.enqueue).toHaveBeenCalledWith({ kind: 'request', requestId: request.id });
    const again = await service.approve(request.id, APPROVER_2);
    expect(again.outcome).toBe('unchanged');
    expect(again.request?.approvals.map((a) => a.userId)).toEqual([APPROVER_1]);
    expect(queue.enqueue).toHaveBeenCalledTimes(1);
  });

  it('when the requester approves their own request, then the click is refused and the request stays pending', async () => {
    const { service, queue } = setup();
    const request = await service.create(transfer(100_00, 'eur', APPROVER_1));
    await expect(service.approve(request.id, APPROVER_1)).resolves.toMatchObject({ outcome: 'refused' });
    expect((await service.get(request.id))?.state).toBe('pending');
    expect(queue.enqueue).not.toHaveBeenCalled();
  });

  it('when an approver is the one paid, then their click is refused, and they do not see it waiting for them', async () => {
    const { service } = setup();
    const request = await service.create(transfer(100_00));
    await expect(service.approve(request.id, SELLER)).resolves.toMatchObject({ outcome: 'refused' });
    await expect(service.waitingFor(SELLER)).resolves.toEqual([]);
    await expect(service.waitingFor(APPROVER_1)).resolves.toMatchObject([{ id: request.id }]);
  });

  it('when someone who is not an approver clicks, then it is refused', async () => {
    const { service } = setup();
    const request = await service.create(transfer(100_00));
    await expect(service.approve(request.id, 'USTRANGER')).resolves.toMatchObject({ outcome: 'refused' });
  });

  it('when the amount is at the threshold, then two different approvers are needed: the first waits, the same one twice changes nothing, the second approves', async () => {
    const { service, queue } = setup();
    const request = await service.create(transfer(1_000_00));
    expect(request.requiredApprovals).toBe(2);
    await expect(service.approve(request.id, APPROVER_1)).resolves.toMatchObject({
      outcome: 'awaiting_second',
      request: { state: 'pending' },
    });
    expect(queue.enqueue).not.toHaveBeenCalled();
    await expect(service.approve(request.id, APPROVER_1)).resolves.toMatchObject({ outcome: 'unchanged' });
    await expect(service.approve(request.id, APPROVER_2)).resolves.toMatchObject({
      outcome: 'approved',
      request: { state: 'approved' },
    });
    expect((await service.get(request.id))?.approvals.map((a) => a.userId)).toEqual([APPROVER_1, APPROVER_2]);
    expect(queue.enqueue).toHaveBeenCalledTimes(1);
  });

  it('when a currency has no threshold, then even a small amount needs two approvers', async () => {
    const { service } = setup();
    expect((await service.create(transfer(1_00, 'usd'))).requiredApprovals).toBe(2);
  });

  it("when the seller's bank account changed within the hold, then one more approver is needed", async () => {
    const { service } = setup({ sellers: [seller({ bankChangedAt: '2026-11-24T10:00:00Z' })] });
    const request = await service.create(transfer(100_00));
    expect(request.requiredApprovals).toBe(2);
    expect(request.kind === 'transfer' && request.bankChangeHold).toBeTruthy();
  });

  it('when the approval time has passed, then a click expires the request instead of approving it, and nothing is queued', async () => {
    const { service, queue, notifier, clock } = setup();
    const request = await service.create(transfer(100_00));
    clock.advance(TTL_SECONDS * 1000);
    await expect(service.approve(request.id, APPROVER_1)).resolves.toMatchObject({
      outcome: 'unchanged',
      request: { state: 'expired' },
    });
    expect(queue.enqueue).not.toHaveBeenCalled();
    expect(notifier.finished).toHaveBeenCalledWith(expect.objectContaining({ id: request.id, state: 'expired' }));
    await expect(service.waitingFor(APPROVER_1)).resolves.toEqual([]);
  });

  it('when a request is rejected, then a later approval changes nothing', async () => {
    const { service, queue } = setup();
    const request = await service.create(transfer(100_00));
    await expect(service.reject(request.id, APPROVER_2, 'not this week')).resolves.toMatchObject({
      outcome: 'rejected',
      request: { state: 'rejected', rejection: { userId: APPROVER_2 } },
    });
    await expect(service.approve(request.id, APPROVER_1)).resolves.toMatchObject({
      outcome: 'unchanged',
      request: { state: 'rejected' },
    });
    expect(queue.enqueue).not.toHaveBeenCalled();
  });

  it('when the amount is over the maximum, then the request is refused with over_maximum and nothing is stored or posted', async () => {
    const { service, notifier } = setup();
    await expect(service.create(transfer(5_000_01))).rejects.toMatchObject({ code: 'over_maximum' });
    expect(notifier.posted).not.toHaveBeenCalled();
    expect((await service.homeLists(REQUESTER)).mine).toEqual([]);
  });

  it("when a top-up is not in the platform's own currency, then it is refused with topup_currency", async () => {
    const { service } = setup();
    await expect(
      service.create({
        kind: 'topup',
        teamId: TEAM,
        requestedBy: REQUESTER,
        description: null,
        money: { amount: 100_00, currency: 'eur' },
      }),
    ).rejects.toMatchObject({ code: 'topup_currency' });
    await expect(
      service.create({
        kind: 'topup',
        teamId: TEAM,
        requestedBy: REQUESTER,
        description: null,
        money: { amount: 100_00, currency: 'usd' },
      }),
    ).resolves.toMatchObject({ state: 'pending' });
  });

  it('when a transfer is in a currency the platform holds none of, then it is refused with currency_not_held', async () => {
    const { service } = setup({ available: [{ amount: 100_00, currency: 'usd' }] });
    await expect(service.create(transfer(10_00, 'eur'))).rejects.toMatchObject({ code: 'currency_not_held' });
  });

  it('when the person may not request, or the seller cannot be paid, then each is refused with its code', async () => {
    await expect(setup().service.create(transfer(10_00, 'eur', APPROVER_2))).rejects.toMatchObject({
      code: 'not_requester',
    });
    await expect(setup({ sellers: [] }).service.create(transfer(10_00))).rejects.toMatchObject({
      code: 'seller_unknown',
    });
    await expect(
      setup({ sellers: [seller({ state: 'disconnected', disconnectedAt: NOW })] }).service.create(transfer(10_00)),
    ).rejects.toMatchObject({ code: 'seller_disconnected' });
    await expect(
      setup({ sellers: [seller({ state: 'pending', transfersCapability: 'pending' })] }).service.create(
        transfer(10_00),
      ),
    ).rejects.toMatchObject({ code: 'seller_not_payable' });
  });

  it('when the approval message cannot be posted, then the request is withdrawn and the requester hears not_posted', async () => {
    const { service, notifier, store } = setup();
    vi.mocked(notifier.posted).mockRejectedValueOnce(new Error('slack down'));
    await expect(service.create(transfer(10_00))).rejects.toMatchObject({ code: 'not_posted' });
    expect(store.audit.actions()).toEqual(['transfer.requested', 'request.withdrawn']);
    expect((await service.homeLists(REQUESTER)).mine).toEqual([]);
  });
});
