import { performance } from 'node:perf_hooks';
import { ackLatency } from './ack-latency.js';
import { reconcileBench } from './reconcile.js';
import { formatBlock, formatJsonLine } from './report.js';
import { runFromApproval } from './run-approval.js';
import { runOnCluster } from './run-cluster.js';
import { runMemory } from './run-memory.js';
import { runRateLimited } from './run-rate-limited.js';
import { runThroughput } from './run-throughput.js';
import { scaleData } from './scale-data.js';
import type { Benchmark } from './types.js';
import { useCompiledBuild } from './worker-child.js';

/** Every benchmark, in the order they run. Add one by appending it here. */
export const BENCHMARKS: Benchmark[] = [
  ackLatency(),
  runThroughput(),
  runRateLimited(),
  runFromApproval(),
  runMemory(),
  runOnCluster(),
  reconcileBench(),
  scaleData(),
];

/** `npm run bench -- ack rate` runs the benchmarks whose name contains any of the words; none given runs all. */
export function select(all: Benchmark[], words: string[]): Benchmark[] {
  const wanted = words.map((w) => w.toLowerCase()).filter(Boolean);
  return wanted.length === 0 ? all : all.filter((b) => wanted.some((w) => b.name.toLowerCase().includes(w)));
}

async function main(): Promise<void> {
  const chosen = select(BENCHMARKS, process.argv.slice(2));
  if (chosen.length === 0) {
    throw new Error(
      `no benchmark matches ${process.argv.slice(2).join(' ')}; there are: ${BENCHMARKS.map((b) => b.name).join(', ')}`,
    );
  }
  // The payout-ops processes the benchmarks start run the compiled build, as production does.
  await useCompiledBuild();
  let failedChecks = 0;
  for (const bench of chosen) {
    const started = performance.now();
    const result = await bench.run();
    const elapsedMs = performance.now() - started;
    console.log(formatBlock(bench, result, elapsedMs));
    console.log(formatJsonLine(bench.name, result, elapsedMs));
    console.log();
    const failed = Object.entries(result).filter(([, value]) => value === 'MISMATCH');
    if (failed.length > 0) {
      console.error(`${bench.name}: check failed: ${failed.map(([key]) => key).join(', ')}`);
      failedChecks += 1;
    }
  }
  if (failedChecks > 0) process.exitCode = 1;
  // Everything was stopped, so the process should end now; if a handle leaked, say so instead of hanging.
  setTimeout(() => {
    console.error('bench: still running 10 s after the last benchmark; something was not stopped');
    process.exit(1);
  }, 10_000).unref();
}

main().catch((error: unknown) => {
  console.error('bench failed:', error);
  process.exit(1);
});
