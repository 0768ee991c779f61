import type { AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import { AppError } from './errors.js';
import { formatMoney, type Money } from './money.js';
import type { Run, RunLine } from './payouts.types.js';
import type { MoneyGateway, PayoutNotifier, RunQueue, RunStore } from './ports.js';
import type { RunLineDraft } from './requests.types.js';

export interface RunServiceDeps {
  audit: AuditLog;
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
  lines: RunLineDraft[];
  message: Run['message'];
}

export interface RunService {
  /** Creates the run once per id and starts it; a second launch of the same id resumes it instead. */
  launch(input: LaunchRun): Promise<Run>;
  /** Starts a new or held run when the balance covers it (else holds it and tells ops); re-queues what is still pending. */
  start(runId: string): Promise<Run>;
  /** Pays one line; throws a retryable AppError for transient Stripe failures. */
  payLine(runId: string, key: string): Promise<'paid' | 'failed' | 'skipped'>;
  /** Closes a run whose lines are all settled: the final summary, once. */
  finish(runId: string): Promise<void>;
  failedLines(runId: string): Promise<RunLine[]>;
  get(runId: string): Promise<Run | undefined>;
}

/** Sums amounts per currency. */
export function totalsOf(items: { money: Money }[]): Money[] {
  const sums = new Map<string, number>();
  for (const { money } of items) sums.set(money.currency, (sums.get(money.currency) ?? 0) + money.amount);
  return [...sums].map(([currency, amount]) => ({ currency, amount })).sort((a, b) => a.currency.localeCompare(b.currency));
}

/** Our id for one line's payment: it names the Stripe transfer (transfer_group, metadata) and derives its idempotency key. */
export const linePaymentId = (runId: string, key: string): string => `${runId}-${key}`;

export function createRunService(deps: RunServiceDeps): RunService {
  const { runs, gateway, clock, notifier } = deps;
  const nowIso = () => clock.now().toISOString();

  async function start(runId: string): Promise<Run> {
    const run = await runs.get(runId);
    if (!run) throw new AppError('run_unknown', `There is no run ${runId}.`);
    if (run.status === 'done') return run;
    // Read once: a line settled meanwhile is skipped by its job, so a slightly old list is safe to queue.
    const pending = (await runs.lines(runId)).filter((l) => l.status === 'pending');
    if (run.status !== 'running') {
      const available = (await gateway.balance()).available;
      const pendingTotals = totalsOf(pending);
      const shortfall = pendingTotals.flatMap((total) => {
        const have = available.find((a) => a.currency === total.currency)?.amount ?? 0;
        return have < total.amount ? [{ currency: total.currency, amount: total.amount - have }] : [];
      });
      if (shortfall.length > 0) {
        const held = await runs.update(runId, (r) => (r.status === 'running' || r.status === 'done' ? undefined : { ...r, status: 'held', shortfall, updatedAt: nowIso() }));
        if (held?.changed && held.before.status !== 'held') await notifier.runHeld(held.after, available);
        return held?.after ?? run;
      }
      const started = await runs.update(runId, (r) => (r.status === 'new' || r.status === 'held' ? { ...r, status: 'running', shortfall: [], updatedAt: nowIso() } : undefined));
      if (started?.changed && !started.after.message) {
        const message = await notifier.runStarted(started.after);
        if (message) await runs.update(runId, (r) => ({ ...r, message }));
      }
    }
    // Safe to repeat: each line's job id is run id + line key.
    if (pending.length > 0) await deps.queue.enqueueLines(runId, pending.map((l) => l.key));
    else await deps.queue.enqueueFinish(runId);
    return (await runs.get(runId)) ?? run;
  }

  async function afterLine(runId: string) {
    const [run, counts] = await Promise.all([runs.get(runId), runs.counts(runId)]);
    if (!run) return;
    if (counts.pending === 0) await deps.queue.enqueueFinish(runId);
    else await notifier.runProgress(run, counts);
  }

  return {
    async launch(input) {
      const at = nowIso();
      const lines: RunLine[] = input.lines.map((l) => ({ ...l, status: 'pending', stripeId: null, reason: null }));
      await runs.create(
        {
          id: input.id,
          teamId: input.teamId,
          source: input.source,
          requestId: input.requestId,
          scheduleId: input.scheduleId,
          requestedBy: input.requestedBy,
          totals: totalsOf(lines),
          lineCount: lines.length,
          status: 'new',
          shortfall: [],
          message: input.message,
          createdAt: at,
          updatedAt: at,
        },
        lines,
      );
      return start(input.id);
    },

    start,

    async payLine(runId, key) {
      const line = await runs.line(runId, key);
      if (!line || line.status !== 'pending') return 'skipped';
      const paymentId = linePaymentId(runId, key);
      let settled: RunLine;
      try {
        const transfer = await gateway.createTransfer({ money: line.money, destinationAccountId: line.accountId, description: line.description, requestId: paymentId }, `transfer-${paymentId}`);
        settled = { ...line, status: 'paid', stripeId: transfer.id };
      } catch (error) {
        if (!(error instanceof AppError) || error.retryable) throw error;
        const reason = error.code === 'stripe_balance_insufficient' ? `balance too low for ${formatMoney(line.money)}` : error.userMessage;
        settled = { ...line, status: 'failed', reason };
      }
      if (await runs.settleLine(runId, settled)) {
        await deps.audit.append({
          at: nowIso(),
          actor: 'system',
          action: `run.line_${settled.status}`,
          requestId: paymentId,
          kind: 'run-line',
          amount: line.money.amount,
          currency: line.money.currency,
          state: settled.status,
          ...(settled.stripeId ? { stripeId: settled.stripeId } : {}),
          ...(settled.reason ? { detail: settled.reason } : {}),
        });
      }
      await afterLine(runId);
      return settled.status === 'paid' ? 'paid' : 'failed';
    },

    async finish(runId) {
      if ((await runs.counts(runId)).pending > 0) return;
      const done = await runs.update(runId, (r) => (r.status === 'running' ? { ...r, status: 'done', updatedAt: nowIso() } : undefined));
      if (!done?.changed) return;
      const [counts, lines] = await Promise.all([runs.counts(runId), runs.lines(runId)]);
      await notifier.runFinished(done.after, counts, lines.filter((l) => l.status === 'failed'));
    },

    async failedLines(runId) {
      return (await runs.lines(runId)).filter((l) => l.status === 'failed');
    },

    get: (runId) => runs.get(runId),
  };
}
