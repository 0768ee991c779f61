import type { AuditEntry, AuditLog } from '../../domain/audit.js';
import { requestRef } from '../../domain/payments.js';
import type { RequestStore } from '../../domain/ports.js';
import {
  MONEY_MOVING_KINDS,
  type PayoutRequest,
  type RunLineDraft,
  summarizeRun,
  TERMINAL_STATES,
} from '../../domain/requests.types.js';
import type { RedisClient } from './connection.js';
import { storeKey } from './keys.js';
import { noReplicaAck, type ReplicaAck } from './replica-ack.js';
import { createVersionedJsonStore, type MembersAdded } from './versioned-json.js';

export const AUDIT_STREAM = storeKey('audit');
const OPEN_INDEX = storeKey('requests:open');
/** Requests whose money is promised but not yet paid (approved, executing): what the funds check adds up on every request. */
const COMMITTED_INDEX = storeKey('requests:committed');
const COMMITTED_STATES: ReadonlySet<PayoutRequest['state']> = new Set(['approved', 'executing']);
const committedIndex = (request: PayoutRequest) =>
  COMMITTED_STATES.has(request.state)
    ? { key: COMMITTED_INDEX, member: request.id, score: Date.parse(request.updatedAt) }
    : { key: COMMITTED_INDEX, member: request.id, remove: true as const };
/** Set once the committed index holds what was approved or executing before the index existed. */
const COMMITTED_BACKFILLED = storeKey('requests:committed:backfilled');
const requestKey = (id: string) => storeKey(`request:${id}`);
/** A run request's lines, in order, apart from its record: every transition rewrites the record, none the lines. */
const runLinesKey = (id: string) => storeKey(`request:${id}:lines`);
/** Who a run request's lines pay: an approver it pays may not decide it. */
const runPayeesKey = (id: string) => storeKey(`request:${id}:payees`);
const RUN_LINES_PAGE = 1_000;

/** Run requests written before their lines were kept apart carry them all inline, and no summary. */
const inlineLines = (stored: PayoutRequest | undefined): RunLineDraft[] | undefined =>
  stored?.kind === 'run' && 'lines' in stored.run
    ? (stored.run as unknown as { lines: RunLineDraft[] }).lines
    : undefined;

/** A request as the domain reads it: an older run request gets its summary (its next transition moves its lines out). */
function readable(stored: PayoutRequest): PayoutRequest {
  const lines = inlineLines(stored);
  return lines && stored.kind === 'run'
    ? { ...stored, run: summarizeRun({ source: stored.run.source, lines }) }
    : stored;
}

/** A run request's lines and who they pay, written in the same script as its record. */
const runLineMembers = (id: string, lines: RunLineDraft[]): MembersAdded[] => [
  { key: runLinesKey(id), command: 'RPUSH', members: lines.map((line) => JSON.stringify(line)) },
  { key: runPayeesKey(id), command: 'SADD', members: [...new Set(lines.map((line) => line.userId))] },
];

function auditEntry(
  request: PayoutRequest,
  audit: { actor: string; action: string; detail?: string },
  at: string,
): AuditEntry {
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
  const stored = JSON.parse(raw ?? '{}') as Partial<AuditEntry> & {
    requestId?: string;
    amount?: number;
    currency?: string;
  };
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
  const records = createVersionedJsonStore<PayoutRequest>(redis, {
    auditStream: AUDIT_STREAM,
    indexKey: OPEN_INDEX,
    afterWrite: replicaAck,
  });
  const stored = async (id: string) => (await records.get(requestKey(id)))?.value;
  const readMany = async (ids: string[]) => (await records.getMany(ids.map(requestKey))).map((r) => readable(r.value));
  const open = async () => readMany(await redis.zrange(OPEN_INDEX, 0, -1));
  let backfilled = false;
  /** Once: what was approved or executing before the committed index existed joins it, so the funds check never under-counts after an upgrade. */
  async function backfillCommitted() {
    if (backfilled) return;
    if (!(await redis.exists(COMMITTED_BACKFILLED))) {
      const committed = (await open()).filter((r) => COMMITTED_STATES.has(r.state));
      if (committed.length > 0)
        await redis.zadd(COMMITTED_INDEX, ...committed.flatMap((r) => [Date.parse(r.updatedAt), r.id]));
      await redis.set(COMMITTED_BACKFILLED, new Date().toISOString());
    }
    backfilled = true;
  }
  return {
    async create(request, actor, runLines) {
      const created = await records.create(requestKey(request.id), request, {
        audit: auditEntry(
          request,
          {
            actor,
            action: `${request.kind}.requested`,
            ...(request.description ? { detail: request.description } : {}),
          },
          request.requestedAt,
        ),
        index: [{ member: request.id, score: Date.parse(request.requestedAt) }, committedIndex(request)],
        members: runLines ? runLineMembers(request.id, runLines) : [],
      });
      if (!created) throw new Error(`request ${request.id} already exists`);
    },
    async get(id) {
      const request = await stored(id);
      return request && readable(request);
    },
    async *runLines(id) {
      // Checked in this order, an older record moving its lines out meanwhile is read from one place or the other, whole.
      const inline = (await redis.exists(runLinesKey(id))) ? undefined : inlineLines(await stored(id));
      if (inline) {
        for (let i = 0; i < inline.length; i += RUN_LINES_PAGE) yield inline.slice(i, i + RUN_LINES_PAGE);
        return;
      }
      for (let start = 0; ; start += RUN_LINES_PAGE) {
        const page = await redis.lrange(runLinesKey(id), start, start + RUN_LINES_PAGE - 1);
        if (page.length > 0) yield page.map((raw) => JSON.parse(raw) as RunLineDraft);
        if (page.length < RUN_LINES_PAGE) return;
      }
    },
    async runPays(id, userId) {
      // One snapshot of both: an older record's lines are in the one or the other.
      const [[, raw], [, member]] = (await redis
        .multi()
        .get(requestKey(id))
        .sismember(runPayeesKey(id), userId)
        .exec()) as [[null, string | null], [null, number]];
      const inline = raw === null ? undefined : inlineLines((JSON.parse(raw) as { data: PayoutRequest }).data);
      return inline ? inline.some((line) => line.userId === userId) : member === 1;
    },
    async transition(id, change, audit) {
      const result = await records.update(
        requestKey(id),
        (current) => change(readable(current)),
        (before, after) => {
          const movedOut = inlineLines(before);
          return {
            audit: auditEntry(after, audit, after.updatedAt),
            index: [
              TERMINAL_STATES.has(after.state)
                ? { member: id, remove: true }
                : { member: id, score: Date.parse(after.updatedAt) },
              committedIndex(after),
            ],
            // An older run request's lines leave its record at its first transition, in the same write.
            members: movedOut ? runLineMembers(id, movedOut) : [],
          };
        },
      );
      // The run has its own lines from its launch on: a finished run request's are not read again.
      if (result?.changed && result.after.kind === 'run' && TERMINAL_STATES.has(result.after.state))
        await redis.unlink(runLinesKey(id), runPayeesKey(id));
      return result && { ...result, before: readable(result.before) };
    },
    // Only the open requests, through the index each transition keeps (however many closed ones there are), in one read.
    open,
    async committed() {
      await backfillCommitted();
      const ids = await redis.zrange(COMMITTED_INDEX, 0, -1);
      const requests = await readMany(ids);
      // A member the backfill added just as its request moved on (or whose record is gone) leaves the index here.
      const current = new Set(requests.filter((r) => COMMITTED_STATES.has(r.state)).map((r) => r.id));
      const stale = ids.filter((id) => !current.has(id));
      if (stale.length > 0) await redis.zrem(COMMITTED_INDEX, ...stale);
      return requests.filter((r) => current.has(r.id));
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
