import type { RequestBase, TransferRequest } from '../../src/domain/requests.types.js';

/** What every stored request has when it has just been made (pending; nothing decided, tried or paid), at `at`. */
export function requestBase(at: string, overrides: Partial<RequestBase> = {}): RequestBase {
  return {
    id: 'req_1',
    teamId: 'T1',
    requestedBy: 'U1',
    requestedAt: at,
    money: { amount: 1000, currency: 'eur' },
    totals: [{ amount: 1000, currency: 'eur' }],
    description: null,
    availableAtRequest: null,
    state: 'pending',
    requiredApprovals: 1,
    approvals: [],
    rejection: null,
    expiresAt: at,
    executingSince: null,
    attempts: 0,
    stripeId: null,
    resultRef: null,
    failure: null,
    settlement: null,
    amountReversed: 0,
    message: null,
    updatedAt: at,
    ...overrides,
  };
}

/** A pending transfer of €10.00 from U1 to U2 (acct_2), with `overrides`. */
export function transferRequest(at: string, overrides: Partial<TransferRequest> = {}): TransferRequest {
  return { ...requestBase(at), kind: 'transfer', destination: { userId: 'U2', accountId: 'acct_2' }, ...overrides };
}
