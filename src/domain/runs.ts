import type { AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import { AppError } from './errors.js';
import { type Money, shortfallOf, totalsOf } from './money.js';
import { type PaymentService, paymentRef, refusalOf, reversalOf } from './payments.js';
import type { StripeState } from './payments.types.js';
import { RUN_HEAD_LINES, type Run, type RunLine } from './payouts.types.js';
import type { MoneyGateway, PayoutNotifier, RunQueue, RunStore } from './ports.js';
import type { RunLineDraft } from './requests.types.js';

export interface RunServiceDeps {
  audit: AuditLog;
  payments: PaymentService;
  gateway: MoneyGateway;
  runs: RunStore;
  queue: RunQueue;
  notifier: PayoutNotifier;
  clock: Clock;
}

export interface LaunchRun {
  id: string;
  teamId: string;
  source: Run['source'];
  requestId: string | null;
  scheduleId: string | null;
  requestedBy: string | null;
  approvedBy?: string[];
  /** The lines, as a list or a page at a time (a run of any size is written without holding it whole). */
  lines: RunLineDraft[] | AsyncIterable<RunLineDraft[]>;
  message: Run['message'];
}

export interface RunService {
  /** Creates the run once per id and starts it; a second launch of the same id resumes it instead. */
  launch(input: LaunchRun): Promise<Run>;
  /** Starts a new or held run when the balance covers it (else holds it and tells ops); re-queues what is still pending. */
  start(runId: string): Promise<Run>;
  /** Pays one line; throws a retryable AppError for transient Stripe failures. */
  payLine(runId: string, key: string): Promise<'paid' | 'failed' | 'skipped'>;
  /** Records what Stripe now shows for a paid line's transfer (a full or partial reversal); true when that changed. */
  settle(runId: string, key: string, state: StripeState): Promise<boolean>;
  /** Closes a run whose lines are all settled: the final summary, once. */
  finish(runId: string): Promise<void>;
  failedLines(runId: string): Promise<RunLine[]>;
  get(runId: string): Promise<Run | undefined>;
}

/** Lines written per page when a run is created. */
const LAUNCH_PAGE = 500;

async function* pagesOf(lines: LaunchRun['lines']): AsyncIterable<RunLineDraft[]> {
  if (!Array.isArray(lines)) {
    yield* lines;
    return;
  }
  for (let i = 0; i < lines.length; i += LAUNCH_PAGE) yield lines.slice(i, i + LAUNCH_PAGE);
}

export function createRunService(deps: RunServiceDeps): RunService {
  const { runs, gateway, clock, notifier } = deps;
  const nowIso = () => clock.now().toISOString();

  async function start(runId: string): Promise<Run> {
    const run = await runs.get(runId);
    if (!run) throw new AppError('run_unknown', { runId });
    if (run.status === 'done') return run;
    if (run.status !== 'running') {
      // Nothing of a new or held run has been queued yet, so all its lines are pending: what it needs is its totals.
      const available = (await gateway.balance()).available;
      const shortfall = shortfallOf(run.totals, available);
      if (shortfall.length > 0) {
        const held = await runs.update(runId, (r) =>
          r.status === 'running' || r.status === 'done'
            ? undefined
            : { ...r, status: 'held', shortfall, updatedAt: nowIso() },
        );
        if (held?.changed && held.before.status !== 'held') await notifier.runHeld(held.after, available);
        return held?.after ?? run;
      }
      const started = await runs.update(runId, (r) =>
        r.status === 'new' || r.status === 'held'
          ? { ...r, status: 'running', shortfall: [], updatedAt: nowIso() }
          : undefined,
      );
      if (started?.changed && !started.after.message) {
        const message = await notifier.runStarted(started.after);
        if (message) await runs.update(runId, (r) => ({ ...r, message }));
      }
    }
    // Page by page, the first page queued before the rest is read; safe to repeat: each line's job id is run id + line key.
    // A line settled meanwhile is skipped by its job, so a page read a moment ago is safe to queue.
    let queued = 0;
    for await (const page of runs.linePages(runId)) {
      const pending = page.filter((l) => l.status === 'pending').map((l) => l.key);
      if (pending.length > 0) await deps.queue.enqueueLines(runId, pending);
      queued += pending.length;
    }
    if (queued === 0) await deps.queue.enqueueFinish(runId);
    return (await runs.get(runId)) ?? run;
  }

  async function failedLines(runId: string): Promise<RunLine[]> {
    const failed: RunLine[] = [];
    for await (const page of runs.linePages(runId)) failed.push(...page.filter((l) => l.status === 'failed'));
    return failed;
  }

  async function afterLine(runId: string) {
    const [run, counts] = await Promise.all([runs.get(runId), runs.counts(runId)]);
    if (!run) return;
    if (counts.pending === 0) await deps.queue.enqueueFinish(runId);
    else await notifier.runProgress(run, counts);
  }

  return {
    async launch(input) {
      // A second launch of the same id (a job run again) resumes the run it finds.
      if (await runs.get(input.id)) return start(input.id);
      let totals: Money[] = [];
      let lineCount = 0;
      const headKeys: string[] = [];
      for await (const page of pagesOf(input.lines)) {
        const lines: RunLine[] = page.map((l) => ({ ...l, status: 'pending', stripeId: null, reason: null }));
        await runs.stageLines(input.id, lines);
        totals = totalsOf([...totals.map((money) => ({ money })), ...lines]);
        lineCount += lines.length;
        headKeys.push(...lines.slice(0, RUN_HEAD_LINES - headKeys.length).map((l) => l.key));
      }
      const at = nowIso();
      await runs.create(
        {
          id: input.id,
          teamId: input.teamId,
          source: input.source,
          requestId: input.requestId,
          scheduleId: input.scheduleId,
          requestedBy: input.requestedBy,
          approvedBy: input.approvedBy,
          totals,
          lineCount,
          status: 'new',
          shortfall: [],
          message: input.message,
          createdAt: at,
          updatedAt: at,
        },
        headKeys,
      );
      return start(input.id);
    },

    start,

    async payLine(runId, key) {
      const line = await runs.line(runId, key);
      if (line?.status !== 'pending') return 'skipped';
      const ref = { kind: 'run-line', runId, lineKey: key } as const;
      const outcome = await deps.payments.pay(ref, {
        action: 'transfer',
        money: line.money,
        destinationAccountId: line.accountId,
        description: line.description,
      });
      const settled: RunLine =
        outcome.status === 'paid'
          ? { ...line, status: 'paid', stripeId: outcome.stripeId }
          : { ...line, status: 'failed', reason: refusalOf(outcome.error, line.money) };
      if (await runs.settleLine(runId, settled)) {
        await deps.audit.append({
          at: nowIso(),
          actor: 'system',
          action: `run.line_${settled.status}`,
          subject: runId,
          payoutRef: paymentRef(ref),
          kind: 'run-line',
          amounts: [line.money],
          payee: { userId: line.userId, accountId: line.accountId },
          state: settled.status,
          ...(settled.stripeId ? { stripeId: settled.stripeId } : {}),
          ...(outcome.status === 'failed' ? { detail: outcome.error.code } : {}),
        });
      }
      await afterLine(runId);
      return settled.status === 'paid' ? 'paid' : 'failed';
    },

    async settle(runId, key, state) {
      if (state.object !== 'transfer') return false;
      const [run, current] = await Promise.all([runs.get(runId), runs.line(runId, key)]);
      if (!run || current?.stripeId !== state.stripeId) return false;
      const recorded = await runs.recordReversal(runId, key, state.amountReversed);
      if (!recorded) return false;
      const { line, delta } = recorded;
      const reversal = reversalOf(state);
      await deps.audit.append({
        at: nowIso(),
        actor: 'stripe',
        action: 'run.line_reversed',
        subject: runId,
        payoutRef: paymentRef({ kind: 'run-line', runId, lineKey: key }),
        kind: 'run-line',
        amounts: [{ amount: delta, currency: line.money.currency }],
        payee: { userId: line.userId, accountId: line.accountId },
        state: reversal.settlement,
        stripeId: state.stripeId,
        detail: reversal.detail,
      });
      const [counts, failed] = await Promise.all([runs.counts(runId), failedLines(runId)]);
      await notifier.runLineReversed(run, line, { amount: delta, currency: line.money.currency }, { counts, failed });
      return true;
    },

    async finish(runId) {
      if ((await runs.counts(runId)).pending > 0) return;
      const done = await runs.update(runId, (r) =>
        r.status === 'running' ? { ...r, status: 'done', updatedAt: nowIso() } : undefined,
      );
      if (!done?.changed) return;
      const [counts, failed] = await Promise.all([runs.counts(runId), failedLines(runId)]);
      await notifier.runFinished(done.after, counts, failed);
      await deps.queue.enqueueReconcile(runId);
    },

    failedLines,

    get: (runId) => runs.get(runId),
  };
}
