import type { RedisClient } from './connection.js';
import { storeKey } from './keys.js';
import { noReplicaAck, type ReplicaAck } from './replica-ack.js';
import type { AuditEntry, AuditLog } from '../../domain/audit.js';
import type { RequestStore } from '../../domain/ports.js';
import { requestRef } from '../../domain/payments.js';
import { MONEY_MOVING_KINDS, TERMINAL_STATES, type PayoutRequest } from '../../domain/requests.types.js';
import { createVersionedJsonStore } from './versioned-json.js';

export const AUDIT_STREAM = storeKey('audit');
const OPEN_INDEX = storeKey('requests:open');
/** Requests whose money is promised but not yet paid (approved, executing): what the funds check adds up on every request. */
const COMMITTED_INDEX = storeKey('requests:committed');
const COMMITTED_STATES: ReadonlySet<PayoutRequest['state']> = new Set(['approved', 'executing']);
const committedIndex = (request: PayoutRequest) =>
  COMMITTED_STATES.has(request.state) ? { key: COMMITTED_INDEX, member: request.id, score: Date.parse(request.updatedAt) } : { key: COMMITTED_INDEX, member: request.id, remove: true as const };
const requestKey = (id: string) => storeKey(`request:${id}`);

function auditEntry(request: PayoutRequest, audit: { actor: string; action: string; detail?: string }, at: string): AuditEntry {
  return {
    at,
    actor: audit.actor,
    action: audit.action,
    subject: request.id,
    ...(MONEY_MOVING_KINDS.has(request.kind) ? { payoutRef: requestRef(request.id) } : {}),
    kind: request.kind,
    amounts: request.totals,
    ...(request.kind === 'transfer' || request.kind === 'plan' ? { payee: request.destination } : {}),
    state: request.state,
    ...(request.stripeId ? { stripeId: request.stripeId } : {}),
    ...(audit.detail ? { detail: audit.detail } : {}),
  };
}

/** An entry as stored, including those written before entries named their subject and listed every currency. */
function readAuditEntry(id: string, raw: string | undefined): AuditEntry & { id: string } {
  const stored = JSON.parse(raw ?? '{}') as Partial<AuditEntry> & { requestId?: string; amount?: number; currency?: string };
  const { requestId, amount, currency, ...entry } = stored;
  return {
    at: '',
    actor: '',
    action: '',
    kind: '',
    state: '',
    ...entry,
    id,
    subject: entry.subject ?? requestId ?? '',
    amounts: entry.amounts ?? (currency && amount ? [{ amount, currency }] : []),
  };
}

export function createRedisRequestStore(redis: RedisClient, replicaAck: ReplicaAck = noReplicaAck): RequestStore {
  const records = createVersionedJsonStore<PayoutRequest>(redis, { auditStream: AUDIT_STREAM, indexKey: OPEN_INDEX, afterWrite: replicaAck });
  const get = async (id: string) => (await records.get(requestKey(id)))?.value;
  return {
    async create(request, actor) {
      const created = await records.create(requestKey(request.id), request, {
        audit: auditEntry(request, { actor, action: `${request.kind}.requested`, ...(request.description ? { detail: request.description } : {}) }, request.requestedAt),
        index: [{ member: request.id, score: Date.parse(request.requestedAt) }, committedIndex(request)],
      });
      if (!created) throw new Error(`request ${request.id} already exists`);
    },
    get,
    transition(id, change, audit) {
      return records.update(requestKey(id), change, (_before, after) => ({
        audit: auditEntry(after, audit, after.updatedAt),
        index: [TERMINAL_STATES.has(after.state) ? { member: id, remove: true } : { member: id, score: Date.parse(after.updatedAt) }, committedIndex(after)],
      }));
    },
    // Only the open requests, through the index each transition keeps (however many closed ones there are), in one read.
    async open() {
      const ids = await redis.zrange(OPEN_INDEX, 0, -1);
      return (await records.getMany(ids.map(requestKey))).map((r) => r.value);
    },
    async committed() {
      const ids = await redis.zrange(COMMITTED_INDEX, 0, -1);
      return (await records.getMany(ids.map(requestKey))).map((r) => r.value).filter((r) => COMMITTED_STATES.has(r.state));
    },
  };
}

export function createRedisAuditLog(redis: RedisClient): AuditLog {
  return {
    async latest(count) {
      const rows = await redis.xrevrange(AUDIT_STREAM, '+', '-', 'COUNT', count);
      return rows.map(([id, fields]) => readAuditEntry(id, fields[1])).reverse();
    },
    async *between(from, to, pageSize = 1_000) {
      // Stream ids start with the millisecond Redis wrote the entry: the range is read by id, a page at a time.
      const end = String(to.getTime() - 1);
      let start = String(from.getTime());
      for (;;) {
        const rows = await redis.xrange(AUDIT_STREAM, start, end, 'COUNT', pageSize);
        for (const [id, fields] of rows) yield readAuditEntry(id, fields[1]);
        if (rows.length < pageSize) return;
        start = `(${rows.at(-1)![0]}`;
      }
    },
    async append(entry) {
      await redis.xadd(AUDIT_STREAM, '*', 'entry', JSON.stringify(entry));
    },
  };
}
