import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { type Harness, PEOPLE, startHarness } from '../emulators/local-stack.js';
import { createRedisRunStore } from '../src/adapters/redis/payout-stores.js';
import type { RunLineDraft } from '../src/domain/requests.types.js';
import { onboardPayableSeller } from '../test/support/onboarding.js';
import { launchRun } from '../test/support/runs.js';
import { parseStartScript } from '../test/support/start-script.js';

/** Every worker child any benchmark started, so a crash of the bench process never leaves one behind. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

/** A `/proc/<pid>/status` field in kB (VmRSS, VmHWM), or undefined once the process is gone or off Linux. */
function procStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How a payout-ops child starts: from the TypeScript sources under tsx until `useCompiledBuild()` switches to what
 * production runs: `npm start`'s command (package.json; the Dockerfile's CMD is the same), its node flags included.
 */
let entry = ['--import', 'tsx', 'src/main.ts'];
/** The environment `npm start` sets ahead of node (its leading `NAME=value` words). */
let entryEnv: Record<string, string> = {};

/** Compiles the project (`npm run build`) once, then starts every payout-ops child as `npm start` does. */
export async function useCompiledBuild(): Promise<void> {
  const tsc = spawn(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
  const code = await new Promise<number | null>((resolve) => tsc.once('exit', resolve));
  if (code !== 0) throw new Error(`npm run build (tsc -p tsconfig.build.json) failed with exit code ${code}`);
  const { env, node, args } = parseStartScript(
    (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start,
  );
  if (node !== 'node') throw new Error(`npm start should run node directly, not ${node}`);
  entry = args;
  entryEnv = env;
}

const mb = (kb: number | undefined): number => (kb === undefined ? Number.NaN : Math.round((kb / 1024) * 10) / 10);

export interface WorkerChild {
  pid: number;
  /** Log lines (LOG_LEVEL=warn, so warnings and errors) the child wrote to stdout. */
  logLines: string[];
  /**
   * stripe-node's `Request metrics buffer is full, dropping telemetry message.` process warnings on the child's
   * stderr (its telemetry buffer holds 100 metrics, overrun when many requests are in flight): counted, not echoed.
   */
  telemetryWarnings(): number;
  /** Peak resident set size: the kernel's VmHWM, read now, and the largest VmRSS seen by the 200 ms poll. */
  peakRss(): { hwmMb: number; polledMaxMb: number; samples: number };
  /** SIGTERM (the bot drains), SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * payout-ops as its own process, exactly as deployed (`ROLE=worker` unless `env` says otherwise), on the harness's
 * Redis and emulators, so its memory can be measured apart from the bench process (which hosts the emulators).
 */
export function startWorkerChild(h: Harness, env: Record<string, string>): WorkerChild {
  installExitHook();
  // BENCH_CPU_PROF_DIR=dir: each payout-ops process writes a V8 CPU profile there when it exits (open it in DevTools).
  const profile = process.env.BENCH_CPU_PROF_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`]
    : [];
  const child = spawn(process.execPath, [...profile, ...entry], {
    env: { ...process.env, ...h.env, ...entryEnv, ROLE: 'worker', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('could not start the payout-ops worker process');
  const pid = child.pid;
  live.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => live.delete(child));

  const logLines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.trim()) logLines.push(line);
  });
  let telemetryWarnings = 0;
  createInterface({ input: child.stderr! }).on('line', (line) => {
    if (line.includes('Request metrics buffer is full')) telemetryWarnings += 1;
    else if (line.includes('--trace-warnings')) return;
    else if (line.trim()) process.stderr.write(`[worker ${pid}] ${line}\n`);
  });

  let polledMaxKb = 0;
  let samples = 0;
  const poll = setInterval(() => {
    const kb = procStatusKb(pid, 'VmRSS');
    if (kb === undefined) return;
    samples += 1;
    polledMaxKb = Math.max(polledMaxKb, kb);
  }, 200);
  void exited.then(() => clearInterval(poll));

  return {
    pid,
    logLines,
    telemetryWarnings: () => telemetryWarnings,
    peakRss: () => ({ hwmMb: mb(procStatusKb(pid, 'VmHWM')), polledMaxMb: mb(polledMaxKb || undefined), samples }),
    async stop(graceMs = 10_000) {
      clearInterval(poll);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function until(
  probe: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Resolves once a worker (of any process) listens on payout-ops' run-line queue. */
export async function waitForRunLineWorker(h: Harness, timeoutMs = 30_000): Promise<void> {
  await until(
    async () => (await h.bot.deps.queues.runLines.getWorkersCount()) > 0,
    timeoutMs,
    'the worker process to listen on the run-line queue',
    100,
  );
}

/** `count` lines to one seller, distinct keys, amounts varying between 1.00 and 10.96. */
export function runLines(accountId: string, count: number): RunLineDraft[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `line${i + 1}`,
    userId: PEOPLE.seller1,
    accountId,
    money: { amount: 100 + ((i * 37) % 997), currency: 'eur' },
    description: `bench line ${i + 1}`,
  }));
}

/** Launches a run directly (as a CSV upload would after approval) and times it from launch until status `done`. */
export async function launchAndWait(
  h: Harness,
  runId: string,
  lines: RunLineDraft[],
  timeoutMs: number,
): Promise<{ elapsedMs: number; launchMs: number; launchedStatus: string }> {
  const started = performance.now();
  const run = await launchRun(h, runId, lines);
  const launchMs = performance.now() - started;
  if (run.status !== 'running' && run.status !== 'done')
    throw new Error(`run ${runId} did not start: status ${run.status}`);
  await until(
    async () => (await h.bot.deps.runs.get(runId))?.status === 'done',
    timeoutMs,
    `run ${runId} to be done`,
    50,
  );
  return { elapsedMs: performance.now() - started, launchMs, launchedStatus: run.status };
}

/** What Stripe holds for a run: transfers whose transfer_group is the line's payment reference, and how many share a group. */
export function transfersOf(
  h: Harness,
  runId: string,
  lines: RunLineDraft[],
): { created: number; duplicates: number; totalCents: number; amountMatches: boolean } {
  const transfers = h.stripe.control.transfers().filter((t) => t.transfer_group?.startsWith(`pay_rl.${runId}.`));
  const groups = new Set(transfers.map((t) => t.transfer_group));
  const expectedCents = lines.reduce((sum, l) => sum + l.money.amount, 0);
  const totalCents = transfers.reduce((sum, t) => sum + t.amount, 0);
  return {
    created: transfers.length,
    duplicates: transfers.length - groups.size,
    totalCents,
    amountMatches: totalCents === expectedCents,
  };
}

/** Logs the first few warnings the worker child wrote, so a slow or failing run explains itself. */
export function reportChildLogs(name: string, child: WorkerChild): void {
  for (const line of child.logLines.slice(0, 3)) console.error(`${name}: worker logged: ${line}`);
}

/** The run's own tally of its lines (paid, failed, pending), as kept in Redis. */
export const runCounts = (h: Harness, runId: string) => createRedisRunStore(h.bot.deps.redis).counts(runId);

/** The harness (web role only; a private redis-server, or the Redis `redisEnv` names), one payable seller, Stripe's limit as asked. */
export async function startRunStack(
  perSecond: number,
  stripeLimit: number | undefined,
  redisEnv?: Record<string, string>,
): Promise<{ h: Harness; sellerAccount: string }> {
  const h = await startHarness({
    env: { ROLE: 'web', LOG_LEVEL: 'warn', STRIPE_TRANSFERS_PER_SECOND: String(perSecond) },
    stripe: { balances: { usd: 5_000_00, eur: 100_000_000_00 } },
    ...(redisEnv ? { redis: { env: redisEnv } } : {}),
  });
  try {
    const sellerAccount = await onboardPayableSeller(h);
    h.stripe.control.setRateLimit(stripeLimit);
    return { h, sellerAccount };
  } catch (error) {
    await h.stop();
    throw error;
  }
}

/** One payout-ops worker process at `perSecond`, once it listens on the run-line queue. */
export async function startRunWorker(
  h: Harness,
  perSecond: number,
  env: Record<string, string> = {},
): Promise<WorkerChild> {
  const worker = startWorkerChild(h, { STRIPE_TRANSFERS_PER_SECOND: String(perSecond), ...env });
  try {
    await waitForRunLineWorker(h);
    return worker;
  } catch (error) {
    await worker.stop();
    throw error;
  }
}

/** The common start of a run benchmark: the stack and one worker process. */
export async function startRunBench(
  perSecond: number,
  stripeLimit: number | undefined,
  redisEnv?: Record<string, string>,
): Promise<{ h: Harness; sellerAccount: string; worker: WorkerChild }> {
  const { h, sellerAccount } = await startRunStack(perSecond, stripeLimit, redisEnv);
  try {
    return { h, sellerAccount, worker: await startRunWorker(h, perSecond) };
  } catch (error) {
    await h.stop();
    throw error;
  }
}

/** The figures both run benchmarks report about the worker process and what reached Stripe, with their checks. */
export async function runOutcomeFigures(
  h: Harness,
  runId: string,
  lines: RunLineDraft[],
  worker: WorkerChild,
  rss: ReturnType<WorkerChild['peakRss']>,
): Promise<Record<string, number | string>> {
  const stripe = transfersOf(h, runId, lines);
  const counts = await runCounts(h, runId);
  return {
    'worker.peakRssMb': rss.hwmMb,
    'worker.polledMaxRssMb': rss.polledMaxMb,
    'worker.rssSamples': rss.samples,
    'worker.warnLogs': worker.logLines.length,
    'worker.stripeTelemetryWarnings': worker.telemetryWarnings(),
    'run.paid': counts.paid,
    'run.failed': counts.failed,
    'transfers.created': stripe.created,
    'transfers.check': stripe.created === lines.length ? 'ok' : 'MISMATCH',
    'transfers.duplicates': stripe.duplicates,
    'duplicates.check': stripe.duplicates === 0 ? 'ok' : 'MISMATCH',
    'amounts.check': stripe.amountMatches ? 'ok' : 'MISMATCH',
  };
}
