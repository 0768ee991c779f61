import type { Redis } from 'ioredis';
import type { AuditEntry, AuditLog } from '../../domain/audit.js';
import type { RequestStore } from '../../domain/ports.js';
import { TERMINAL_STATES, type PayoutRequest } from '../../domain/requests.types.js';
import { createVersionedJsonStore } from './versioned-json.js';

export const AUDIT_STREAM = 'payout:audit';
const OPEN_INDEX = 'payout:requests:open';
const requestKey = (id: string) => `payout:request:${id}`;

function auditEntry(request: PayoutRequest, audit: { actor: string; action: string; detail?: string }, at: string): AuditEntry {
  return {
    at,
    actor: audit.actor,
    action: audit.action,
    requestId: request.id,
    kind: request.kind,
    amount: request.money.amount,
    currency: request.money.currency,
    state: request.state,
    ...(request.stripeId ? { stripeId: request.stripeId } : {}),
    ...(audit.detail ? { detail: audit.detail } : {}),
  };
}

export function createRedisRequestStore(redis: Redis): RequestStore {
  const records = createVersionedJsonStore<PayoutRequest>(redis, { auditStream: AUDIT_STREAM, indexKey: OPEN_INDEX });
  const get = async (id: string) => (await records.get(requestKey(id)))?.value;
  return {
    async create(request, actor) {
      const created = await records.create(requestKey(request.id), request, {
        audit: auditEntry(request, { actor, action: `${request.kind}.requested`, ...(request.description ? { detail: request.description } : {}) }, request.requestedAt),
        index: { member: request.id, score: Date.parse(request.requestedAt) },
      });
      if (!created) throw new Error(`request ${request.id} already exists`);
    },
    get,
    transition(id, change, audit) {
      return records.update(requestKey(id), change, (_before, after) => ({
        audit: auditEntry(after, audit, after.updatedAt),
        index: TERMINAL_STATES.has(after.state) ? { member: id, remove: true } : { member: id, score: Date.parse(after.updatedAt) },
      }));
    },
    async open() {
      const ids = await redis.zrange(OPEN_INDEX, 0, -1);
      const requests = await Promise.all(ids.map(get));
      return requests.filter((r): r is PayoutRequest => r !== undefined);
    },
  };
}

export function createRedisAuditLog(redis: Redis): AuditLog {
  return {
    async latest(count) {
      const rows = await redis.xrevrange(AUDIT_STREAM, '+', '-', 'COUNT', count);
      return rows
        .map(([id, fields]) => ({ id, ...(JSON.parse(fields[1] ?? '{}') as AuditEntry) }))
        .reverse();
    },
    async append(entry) {
      await redis.xadd(AUDIT_STREAM, '*', 'entry', JSON.stringify(entry));
    },
  };
}
